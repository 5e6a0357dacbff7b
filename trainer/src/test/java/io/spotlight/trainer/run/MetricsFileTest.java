package io.spotlight.trainer.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A resume cuts metrics.jsonl back to its checkpoint's step, and never loses a row before it. */
class MetricsFileTest {
    private static final String EPOCH_1 = """
            {"kind":"train","step":1,"time_ms":1,"loss":2.5}
            {"kind":"train","step":2,"time_ms":2,"loss":2.0}
            {"kind":"eval","step":2,"time_ms":3,"test/accuracy/label":61.5,"test/cam_outside_share/label":"NaN","epoch":1.0}
            """;
    private static final String EPOCH_2_PART = """
            {"kind":"train","step":3,"time_ms":4,"loss":1.5}
            {"kind":"train","step":4,"time_ms":5,"lo""";

    @Test
    void rowsAfterTheCheckpointAndALineCutByTheKillAreDropped(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("metrics.jsonl");
        Files.writeString(file, EPOCH_1 + EPOCH_2_PART, StandardCharsets.UTF_8);
        Map<String, Double> eval = MetricsFile.keepUpTo(file, 2);
        assertEquals(EPOCH_1, Files.readString(file));
        assertEquals(Map.of("test/accuracy/label", 61.5, "test/cam_outside_share/label", Double.NaN), eval,
                "the checkpoint epoch's evaluation, without kind, step, time and epoch");
        try (var left = Files.list(dir)) {
            assertEquals(List.of(file), left.toList(), "no temporary file left");
        }
    }

    @Test
    void aFileWithNothingToDropIsNotRewritten(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("metrics.jsonl");
        Files.writeString(file, EPOCH_1, StandardCharsets.UTF_8);
        FileTime before = FileTime.fromMillis(1_000_000);
        Files.setLastModifiedTime(file, before);
        MetricsFile.keepUpTo(file, 2);
        assertEquals(before, Files.getLastModifiedTime(file));
        assertEquals(EPOCH_1, Files.readString(file));
    }

    @Test
    void aRunWithoutMetricsYetHasNoEvaluation(@TempDir Path dir) throws Exception {
        assertTrue(MetricsFile.keepUpTo(dir.resolve("metrics.jsonl"), 10).isEmpty());
    }
}
