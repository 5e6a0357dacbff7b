package io.spotlight.trainer.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The run directory's record of a run: {@code metrics.jsonl} (one JSON object per logged step and
 * evaluation), {@code snapshots/*.png}, and {@code summary.json} at the end, written atomically.
 */
public final class RunFilesListener extends SpotlightListener {
    public static final String METRICS = "metrics.jsonl";
    public static final String SUMMARY = "summary.json";
    public static final String SNAPSHOTS = "snapshots";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper JSON_LINE = new ObjectMapper();

    private final Path runDir;
    private BufferedWriter metrics;

    public RunFilesListener(Path runDir) {
        this.runDir = runDir;
    }

    @Override
    public void onStep(RunContext run, long step, Map<String, Double> values) {
        append("train", step, values);
    }

    @Override
    public void onEvaluation(RunContext run, int epoch, long step, Map<String, Double> values) {
        Map<String, Double> withEpoch = new LinkedHashMap<>(values);
        withEpoch.put("epoch", (double) epoch);
        append("eval", step, withEpoch);
    }

    @Override
    public void onImage(RunContext run, String key, long step, byte[] png) {
        writeAtomically(snapshotFile(runDir, key, step), png);
    }

    /** {@code RUN/snapshots/KEY-stepNNNNNNN.png}: where the snapshot {@code key} of {@code step} goes. */
    public static Path snapshotFile(Path runDir, String key, long step) {
        return runDir.resolve(SNAPSHOTS).resolve(String.format("%s-step%07d.png", key, step));
    }

    @Override
    public void onRunEnd(RunContext run, String status, Map<String, Object> summary) {
        try {
            if (metrics != null) {
                metrics.close();
            }
            writeAtomically(runDir.resolve(SUMMARY), JSON.writeValueAsBytes(summary));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void append(String kind, long step, Map<String, Double> values) {
        try {
            if (metrics == null) {
                metrics = Files.newBufferedWriter(runDir.resolve(METRICS), StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("kind", kind);
            line.put("step", step);
            line.put("time_ms", System.currentTimeMillis());
            values.forEach((k, v) -> line.put(k, Double.isFinite(v) ? v : String.valueOf(v)));
            metrics.write(JSON_LINE.writeValueAsString(line));
            metrics.newLine();
            metrics.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + runDir.resolve(METRICS), e);
        }
    }

    /** Writes to a temporary file beside {@code target}, then renames: readers never see half a file. */
    public static void writeAtomically(Path target, byte[] bytes) {
        try {
            Files.createDirectories(target.getParent());
            Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
            Files.write(tmp, bytes);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }
}
