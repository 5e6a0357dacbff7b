package io.spotlight.trainer.view;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spotlight.trainer.compare.Comparison;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What {@code ./spotlight view DIR} shows: one run ({@code outputs/DATE/TIME}), or the runs of a
 * comparison ({@code outputs/compare/DATE/TIME_NAME}, one run directory per variant) or of a
 * multirun ({@code multirun/DATE/TIME}, one per job). A group is listed again on every request, so
 * the variants of a comparison still running appear as they start.
 */
final class ViewTarget {
    /** One run directory, a comparison, or a multirun (or any folder of runs). */
    enum Kind { RUN, COMPARISON, MULTIRUN }

    private static final Pattern SWEEP_JOB = Pattern.compile("(\\d+)(_.*)?");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final Kind kind;

    private ViewTarget(Path dir, Kind kind) {
        this.dir = dir;
        this.kind = kind;
    }

    /**
     * @throws ViewException for a path that does not exist, is not a directory, or holds neither a
     *     run nor runs, and for finished runs none of which took a snapshot
     */
    static ViewTarget of(Path given) {
        Path dir = given.toAbsolutePath().normalize();
        if (!Files.exists(dir)) {
            throw new ViewException(dir + " does not exist; expected a run directory (outputs/DATE/TIME), a comparison "
                    + "(outputs/compare/DATE/TIME_NAME) or a multirun (multirun/DATE/TIME)");
        }
        if (!Files.isDirectory(dir)) {
            throw new ViewException(dir + " is a file; expected a run directory (outputs/DATE/TIME), a comparison "
                    + "(outputs/compare/DATE/TIME_NAME) or a multirun (multirun/DATE/TIME)");
        }
        ViewTarget target;
        if (ViewedRun.isRun(dir)) {
            target = new ViewTarget(dir, Kind.RUN);
        } else if (Files.isRegularFile(dir.resolve(Comparison.JSON)) || !childRuns(dir).isEmpty()) {
            boolean sweep = !childRuns(dir).isEmpty() && childRuns(dir).stream()
                    .allMatch(p -> SWEEP_JOB.matcher(p.getFileName().toString()).matches());
            target = new ViewTarget(dir, sweep && !Files.exists(dir.resolve(Comparison.JSON)) ? Kind.MULTIRUN : Kind.COMPARISON);
        } else {
            throw new ViewException(dir + " is not a run directory (it has no config.conf, metrics.jsonl or snapshots/) "
                    + "and holds no run directories (as a comparison or a multirun does); expected outputs/DATE/TIME, "
                    + "outputs/compare/DATE/TIME_NAME or multirun/DATE/TIME");
        }
        target.requireSnapshotsToCome();
        return target;
    }

    Path dir() {
        return dir;
    }

    Kind kind() {
        return kind;
    }

    /** The runs in display order: a comparison's in its {@code comparison.json} order, a multirun's by job number. */
    List<ViewedRun> runs() {
        if (kind == Kind.RUN) {
            return List.of(new ViewedRun(dir.getFileName().toString(), dir));
        }
        Map<Path, String> named = new LinkedHashMap<>();
        for (Map.Entry<String, Path> e : comparisonOrder().entrySet()) {
            named.put(e.getValue(), e.getKey());
        }
        List<Path> rest = new ArrayList<>(childRuns(dir));
        rest.removeAll(named.keySet());
        rest.sort(Comparator.comparingLong(ViewTarget::jobNumber).thenComparingLong(ViewTarget::started)
                .thenComparing(Path::toString));
        rest.forEach(p -> named.put(p, p.getFileName().toString()));
        List<ViewedRun> runs = new ArrayList<>();
        named.forEach((path, name) -> runs.add(new ViewedRun(name, path)));
        return runs;
    }

    /** The run called {@code name}, or null. */
    ViewedRun run(String name) {
        return runs().stream().filter(r -> r.name().equals(name)).findFirst().orElse(null);
    }

    private void requireSnapshotsToCome() {
        List<ViewedRun> runs = runs();
        CompleteFiles complete = new CompleteFiles();
        boolean anySnapshot = runs.stream().anyMatch(r -> !r.snapshots(complete).isEmpty());
        boolean allFinished = runs.stream().noneMatch(r -> r.status().equals("running"));
        if (!anySnapshot && allFinished) {
            String which = runs.size() == 1 ? "the run " + runs.get(0).dir() + " has no"
                    : "none of the " + runs.size() + " runs in " + dir + " has any";
            throw new ViewException(which + " CAM snapshots (snapshots/cams-stepNNNNNNN.png) and "
                    + (runs.size() == 1 ? "it has" : "they have") + " ended (summary.json: "
                    + runs.stream().map(ViewedRun::status).distinct().toList()
                    + "), so none will come; snapshots are taken every snapshot.every steps and after each epoch");
        }
    }

    /** Variant name to run directory, from {@code comparison.json} where it exists. */
    private Map<String, Path> comparisonOrder() {
        Map<String, Path> out = new LinkedHashMap<>();
        Path file = dir.resolve(Comparison.JSON);
        if (!Files.isRegularFile(file)) {
            return out;
        }
        try {
            JsonNode variants = JSON.readTree(file.toFile()).path("variants");
            variants.fields().forEachRemaining(e -> {
                Path runDir = Path.of(e.getValue().path("run_dir").asText(e.getKey()));
                Path resolved = (runDir.isAbsolute() ? runDir : dir.resolve(runDir.getFileName())).normalize();
                if (!resolved.startsWith(dir) || !Files.isDirectory(resolved)) {
                    resolved = dir.resolve(resolved.getFileName()); // the folder was moved: its runs moved with it
                }
                if (Files.isDirectory(resolved) && resolved.startsWith(dir)) {
                    out.put(e.getKey(), resolved);
                }
            });
        } catch (IOException e) {
            // written atomically, so unreadable means damaged: fall back to the folder's own order
        }
        return out;
    }

    private static List<Path> childRuns(Path dir) {
        try (Stream<Path> children = Files.list(dir)) {
            return children.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(ViewedRun::isRun).toList();
        } catch (IOException e) {
            throw new ViewException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static long jobNumber(Path p) {
        Matcher m = SWEEP_JOB.matcher(p.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : Long.MAX_VALUE;
    }

    private static long started(Path p) {
        Path config = p.resolve("config.conf");
        return (Files.exists(config) ? config : p).toFile().lastModified();
    }
}
