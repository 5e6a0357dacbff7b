package io.spotlight.trainer.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.spotlight.trainer.tracking.MlflowServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A tracked run killed mid-epoch and resumed goes on in the same MLflow run, which ends FINISHED. */
class ResumeTrackingTest {
    @RegisterExtension static final MlflowServerExtension SERVER = new MlflowServerExtension();

    private static String sentRunId(Path run) {
        try {
            Path sent = run.resolve("tracking/sent.json");
            return Files.exists(sent) ? ChildTrain.JSON.readTree(sent.toFile()).path("runId").asText(null) : null;
        } catch (java.io.IOException partlyWritten) {
            return null;
        }
    }

    @Test
    void theResumedRunContinuesTheSameMlflowRunAndItsMetricHistory(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("run");
        List<String> args = new ArrayList<>(ChildTrain.tinyRun("resume-tracked", run));
        args.set(args.indexOf("tracking=off"), "tracking=local");
        args.add("tracking.uri=\"" + SERVER.uri() + "\"");
        long t0 = System.nanoTime();
        ChildTrain child = ChildTrain.start(dir.resolve("killed.log"), args);
        child.killWhen(run, r -> sentRunId(r) != null && Files.exists(r.resolve("checkpoints/epoch-0001"))
                && ChildTrain.trainingAfter(r, 1));
        String runId = sentRunId(run);
        assertEquals("RUNNING", SERVER.rest().status(runId), "SIGKILL: nobody told the server");

        double killedAfter = (System.nanoTime() - t0) / 1e9;
        long t1 = System.nanoTime();
        String out = ChildTrain.run(dir.resolve("resumed.log"), List.of("resume=" + run));
        double resumeSeconds = (System.nanoTime() - t1) / 1e9;
        assertTrue(out.contains("MLflow run: ") && out.contains(runId), out);
        List<JsonNode> runs = SERVER.rest().runsOf("resume-tracked");
        assertEquals(1, runs.size(), "no second run");
        assertEquals(runId, runs.get(0).path("info").path("run_id").asText());
        assertEquals("FINISHED", SERVER.rest().status(runId));
        assertTrue(Files.notExists(run.resolve("tracking/rejected.jsonl")), "the server took every line, the resume's too");
        String from = SERVER.rest().tags(runId).get("spotlight.resumed_from");
        assertTrue(from.startsWith("checkpoints/epoch-000") && from.endsWith("0)"), from);

        // evaluations: once per epoch (each was logged before its checkpoint, never again)
        int steps = ChildTrain.STEPS_PER_EPOCH;
        List<JsonNode> acc = SERVER.rest().history(runId, "test/accuracy/label");
        assertEquals(List.of((long) steps, 2L * steps, 3L * steps), acc.stream().map(n -> n.path("step").asLong()).sorted().toList());
        JsonNode summary = ChildTrain.JSON.readTree(run.resolve(RunFilesListener.SUMMARY).toFile());
        double last = acc.stream().filter(n -> n.path("step").asLong() == 3L * steps).findFirst().orElseThrow().path("value").asDouble();
        assertEquals(summary.path("metrics").path("test/accuracy/label").asDouble(), last);
        // every step's loss is there; the steps of the lost partial epoch may be there twice,
        // with the same value (the resumed run made them again, identically)
        Map<Long, List<Double>> loss = SERVER.rest().history(runId, "loss").stream().collect(Collectors.groupingBy(
                n -> n.path("step").asLong(), TreeMap::new, Collectors.mapping(n -> n.path("value").asDouble(), Collectors.toList())));
        assertEquals(LongStream.rangeClosed(1, 3L * steps).boxed().toList(), List.copyOf(loss.keySet()));
        long twice = loss.values().stream().filter(v -> v.size() > 1).count();
        loss.forEach((step, values) -> assertEquals(1, values.stream().distinct().count(), "step " + step + ": " + values));
        System.out.printf("MEASURED MLflow run %s continued; killed after %.1f s, resume took %.1f s;"
                + " %d lost steps logged twice with equal values%n", runId, killedAfter, resumeSeconds, twice);
    }
}
