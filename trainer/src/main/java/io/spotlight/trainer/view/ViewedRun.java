package io.spotlight.trainer.view;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spotlight.trainer.run.CamSnapshotListener;
import io.spotlight.trainer.run.RunFilesListener;
import io.spotlight.trainer.run.SnapshotMaps;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One run directory as the viewer reads it, again on every request: a run still training gains
 * snapshots and metric rows while the page is open.
 *
 * @param name how the page names the run (the variant, the sweep job, or the run's folder)
 * @param dir the run directory, absolute and normalised
 */
record ViewedRun(String name, Path dir) {
    private static final Pattern SNAPSHOT = Pattern.compile(Pattern.quote(CamSnapshotListener.KEY) + "-step(\\d{7,})\\.png");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One snapshot: its PNG (always complete) and its raw maps' file name, or null for a run without them. */
    record Snapshot(long step, String png, String maps) {}

    /** Whether {@code dir} holds a run: its config, its metrics or its snapshots. */
    static boolean isRun(Path dir) {
        return Files.isRegularFile(dir.resolve("config.conf")) || Files.isRegularFile(dir.resolve(RunFilesListener.METRICS))
                || Files.isDirectory(dir.resolve(RunFilesListener.SNAPSHOTS));
    }

    /** The complete snapshots in step order; half-written files are left out until they are whole. */
    List<Snapshot> snapshots(CompleteFiles complete) {
        Path folder = dir.resolve(RunFilesListener.SNAPSHOTS);
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        List<Snapshot> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path png : (Iterable<Path>) files.sorted()::iterator) {
                Matcher m = SNAPSHOT.matcher(png.getFileName().toString());
                if (!m.matches() || !complete.png(png)) {
                    continue;
                }
                Path maps = SnapshotMaps.besidePng(png);
                out.add(new Snapshot(Long.parseLong(m.group(1)), png.getFileName().toString(),
                        complete.json(maps) ? maps.getFileName().toString() : null));
            }
        } catch (IOException e) {
            throw new ViewException("cannot list " + folder + ": " + e.getMessage(), e);
        }
        out.sort((a, b) -> Long.compare(a.step(), b.step()));
        return out;
    }

    /**
     * The rows of {@code metrics.jsonl} (train and eval); a last line still being written (no line
     * end yet, or not yet valid JSON) is left out until it is complete.
     */
    List<JsonNode> metrics() {
        Path file = dir.resolve(RunFilesListener.METRICS);
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        String text;
        try {
            text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ViewException("cannot read " + file + ": " + e.getMessage(), e);
        }
        List<JsonNode> rows = new ArrayList<>();
        int end = text.lastIndexOf('\n');
        for (String line : end < 0 ? new String[0] : text.substring(0, end).split("\n")) {
            try {
                JsonNode row = JSON.readTree(line);
                if (row != null && row.isObject() && row.path("step").canConvertToLong()) {
                    rows.add(row);
                }
            } catch (IOException damaged) {
                // a line cut short by a kill: the row is lost, the others stand
            }
        }
        return rows;
    }

    /** {@code summary.json}'s status (FINISHED, FAILED, KILLED), or {@code running} while there is none. */
    String status() {
        Path summary = dir.resolve(RunFilesListener.SUMMARY);
        if (!Files.isRegularFile(summary)) {
            return "running";
        }
        try {
            return JSON.readTree(summary.toFile()).path("status").asText("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Changes whenever the page has something new to show for this run. */
    String fingerprint(CompleteFiles complete) {
        List<Snapshot> s = snapshots(complete);
        long withMaps = s.stream().filter(x -> x.maps() != null).count();
        long metricsSize = dir.resolve(RunFilesListener.METRICS).toFile().length();
        return s.size() + "/" + withMaps + "/" + metricsSize + "/" + status();
    }
}
