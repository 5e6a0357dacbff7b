package io.spotlight.trainer.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spool on disk: ordered, complete lines only, values kept exactly. */
class SpoolTest {
  @TempDir Path runDir;

  @Test
  void linesComeBackInOrderWithTheirSequenceAndTime() throws Exception {
    try (Spool spool = Spool.openForAppend(runDir)) {
      spool.append(new SpoolEvent.Start("http://x", "e", "r", "k", null, Map.of("a", "b")), 5);
      spool.append(new SpoolEvent.Metric("loss", Double.NaN, 1), 6);
      spool.append(new SpoolEvent.Metric("loss", Double.POSITIVE_INFINITY, 2), 7);
      SpoolReader reader = spool.reader();
      List<SpoolLine> lines = reader.next(10);
      assertEquals(List.of(1L, 2L, 3L), lines.stream().map(SpoolLine::seq).toList());
      assertEquals(6, lines.get(1).timestamp());
      assertTrue(Double.isNaN(((SpoolEvent.Metric) lines.get(1).event()).value()));
      assertEquals(Double.POSITIVE_INFINITY, ((SpoolEvent.Metric) lines.get(2).event()).value());
      spool.append(new SpoolEvent.Tag("t", "v"), 8);
      assertEquals(List.of(4L), reader.next(10).stream().map(SpoolLine::seq).toList());
      assertEquals(List.of(), reader.next(10));
    }
  }

  @Test
  void aHalfWrittenLineIsNotReadUntilItIsComplete() throws Exception {
    try (Spool spool = Spool.openForAppend(runDir)) {
      spool.append(new SpoolEvent.Tag("a", "1"), 1);
      SpoolReader reader = spool.reader();
      assertEquals(1, reader.next(10).size());
      byte[] line = "{\"seq\":2,\"timestamp\":2,\"event\":{\"type\":\"tag\",\"key\":\"b\",\"value\":\"2\"}}\n"
          .getBytes(StandardCharsets.UTF_8);
      Files.write(spool.file(), java.util.Arrays.copyOf(line, 20), StandardOpenOption.APPEND);
      assertEquals(List.of(), reader.next(10));
      Files.write(spool.file(), java.util.Arrays.copyOfRange(line, 20, line.length), StandardOpenOption.APPEND);
      assertEquals("b", ((SpoolEvent.Tag) reader.next(10).get(0).event()).key());
    }
  }

  @Test
  void readingStopsAtTheLimitAndResumesThere() throws Exception {
    try (Spool spool = Spool.openForAppend(runDir)) {
      for (int i = 0; i < 25; i++) {
        spool.append(new SpoolEvent.Metric("m", i, i), i);
      }
      SpoolReader reader = spool.reader();
      assertEquals(10, reader.next(10).size());
      List<SpoolLine> second = reader.next(10);
      assertEquals(11L, second.get(0).seq());
      assertEquals(20L, second.get(9).seq());
      assertEquals(5, reader.next(10).size());
    }
  }

  @Test
  void theWatermarkIsReplacedWhole() throws Exception {
    try (Spool spool = Spool.openForAppend(runDir)) {
      assertEquals(0, spool.readWatermark("http://x").seq());
      spool.writeWatermark(new Watermark(7, "http://x", "1", "run", "mlflow-artifacts:/1/run/artifacts"));
      assertEquals("run", spool.readWatermark("http://x").runId());
      assertEquals(7, spool.readWatermark("http://x").seq());
      assertTrue(Files.exists(runDir.resolve("tracking/sent.json")));
    }
  }
}
