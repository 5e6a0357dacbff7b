package io.spotlight.trainer.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A run's {@code metrics.jsonl} as a resume sees it: rows up to the checkpoint's global step are
 * the run's history, rows after it belong to the partial epoch that was lost and are made again.
 */
final class MetricsFile {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Fields of a row that are not metrics (RunFilesListener writes them). */
    private static final Set<String> NOT_METRICS = Set.of("kind", "step", "time_ms", "epoch");

    private MetricsFile() {}

    /**
     * Keeps the rows whose {@code step} is at most {@code lastStep} and drops the rest, including a
     * last line that a kill cut short. The kept rows go to a temporary file that is forced to disk
     * and then renamed over the old one, so a crash here leaves the old file whole: the rows up to
     * the checkpoint are never lost.
     *
     * @return the metrics of the last evaluation row kept (empty if none): what the run's summary
     *     reports when the checkpoint is its last epoch
     */
    static Map<String, Double> keepUpTo(Path file, long lastStep) throws IOException {
        if (!Files.isRegularFile(file)) {
            return Map.of();
        }
        // decoded leniently: a kill may cut the last line inside a character
        String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        StringBuilder kept = new StringBuilder();
        Map<String, Double> lastEval = Map.of();
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode row;
            try {
                row = JSON.readTree(line);
            } catch (IOException cutShort) {
                continue;
            }
            if (row == null || !row.path("step").canConvertToLong() || row.path("step").asLong() > lastStep) {
                continue;
            }
            kept.append(line).append('\n');
            if ("eval".equals(row.path("kind").asText())) {
                lastEval = metrics(row);
            }
        }
        if (!kept.toString().equals(text)) {
            replace(file, kept.toString().getBytes(StandardCharsets.UTF_8));
        }
        return lastEval;
    }

    private static Map<String, Double> metrics(JsonNode row) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = row.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!NOT_METRICS.contains(e.getKey())) {
                // non-finite values are written as "NaN" / "Infinity", which parseDouble reads back
                out.put(e.getKey(), e.getValue().isNumber() ? e.getValue().asDouble() : Double.parseDouble(e.getValue().asText()));
            }
        }
        return out;
    }

    private static void replace(Path file, byte[] content) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".resume-tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                ch.write(buffer);
            }
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
