package io.spotlight.trainer.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * {@code ./spotlight train ...} in a child JVM, as a user runs it: the CLI's main class on this
 * test's classpath, with the launcher's system properties. A child can be killed like a real run.
 */
final class ChildTrain {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Steps of the tiny run: 480 images in batches of 16. */
    static final int STEPS_PER_EPOCH = 30;
    static final int EPOCHS = 3;

    /**
     * A run small enough for seconds per child yet with everything a resume must restore: Adam
     * moments, a cosine learning-rate schedule over the run, the guided loss's auto-scale, the
     * shuffle, and per-sample random decoys. Every step is logged, so the files compare step by step.
     */
    static List<String> tinyRun(String name, Path runDir, String... more) {
        List<String> args = new ArrayList<>(List.of(Repo.TRAIN.toString(), "name=" + name, "epochs=" + EPOCHS, "batch_size=16",
                "eval_batch_size=200", "dataset.train_size=480", "dataset.test_size=200", "guidance=hirescam-conv1",
                "optimizer.schedule=cosine", "log.every=1", "log.progress=false", "snapshot.every=0", "eval.cam_samples=100",
                "tracking=off", "run.dir=" + runDir));
        args.addAll(List.of(more));
        return args;
    }

    private final Process process;
    private final Path log;

    private ChildTrain(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts {@code ./spotlight train args...}; its output goes to {@code log}. */
    static ChildTrain start(Path log, List<String> args) throws IOException {
        return start(log, args, java.util.Map.of());
    }

    /** As {@link #start(Path, List)}, with {@code env} added to the child's environment. */
    static ChildTrain start(Path log, List<String> args, java.util.Map<String, String> env) throws IOException {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java, "-Xmx1g", "-Dai.djl.offline=true",
                "-Dai.djl.default_engine=PyTorch", "-Djava.awt.headless=true", "-Dspotlight.home=" + Repo.ROOT,
                "-cp", System.getProperty("java.class.path"), "io.spotlight.trainer.cli.SpotlightCli", "train"));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        Process p = builder.start();
        return new ChildTrain(p, log);
    }

    /** Runs to the end and returns its output; fails the test if it does not exit with 0. */
    static String run(Path log, List<String> args) throws IOException, InterruptedException {
        ChildTrain child = start(log, args);
        assertTrue(child.process.waitFor(3, TimeUnit.MINUTES), "the run did not end: " + child.output());
        assertEquals(0, child.process.exitValue(), child.output());
        return child.output();
    }

    /** Waits (at most 3 minutes) for the child to end by itself and returns its exit code. */
    int exitCode() throws InterruptedException, IOException {
        assertTrue(process.waitFor(3, TimeUnit.MINUTES), "the run did not end: " + output());
        return process.exitValue();
    }

    boolean alive() {
        return process.isAlive();
    }

    String output() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    /**
     * Waits until {@code ready} holds for the run directory, then kills the child with SIGKILL
     * ({@code destroyForcibly} on Linux): no shutdown hook, no finally block runs.
     */
    void killWhen(Path runDir, Predicate<Path> ready) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (!ready.test(runDir)) {
            assertTrue(process.isAlive(), "the run ended before the kill: " + output());
            assertTrue(System.nanoTime() < deadline, "the run never got there: " + output());
            Thread.sleep(2);
        }
        process.destroyForcibly();
        assertTrue(process.waitFor(1, TimeUnit.MINUTES));
        assertEquals(137, process.exitValue(), "128 + SIGKILL");
    }

    /** The rows of {@code metrics.jsonl} (a last line cut short by a kill is left out). */
    static List<JsonNode> rows(Path runDir) {
        List<JsonNode> rows = new ArrayList<>();
        try {
            Path file = runDir.resolve(RunFilesListener.METRICS);
            if (!Files.exists(file)) {
                return rows;
            }
            for (String line : new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\n")) {
                try {
                    rows.add(JSON.readTree(line));
                } catch (IOException cutShort) {
                    // the line being written when the process died
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return rows;
    }

    /** Whether training rows after the last step of {@code epochs} epochs are logged. */
    static boolean trainingAfter(Path runDir, int epochs) {
        return lostRows(runDir, epochs) > 0;
    }

    /** Rows with a step after the end of {@code epochs} epochs. */
    static long lostRows(Path runDir, int epochs) {
        return rows(runDir).stream().filter(r -> r.path("step").asLong() > (long) epochs * STEPS_PER_EPOCH).count();
    }

    /**
     * Waits for a checkpoint and training after it, so that a kill then loses part of an epoch.
     *
     * @return the epoch of the checkpoint that a resume starts from
     */
    int killMidEpoch(Path runDir) throws IOException, InterruptedException {
        killWhen(runDir, r -> Files.exists(r.resolve("checkpoints/epoch-0001")) && trainingAfter(r, 1));
        // normally still in epoch 2; on a very busy machine the poll may have come late
        Path latest = io.spotlight.trainer.optim.Checkpoint.latest(runDir).orElseThrow();
        int epoch = io.spotlight.trainer.optim.Checkpoint.readState(latest).epoch();
        assertTrue(epoch < EPOCHS, "killed after the last checkpoint");
        assertTrue(lostRows(runDir, epoch) > 0, "rows of the partial epoch " + (epoch + 1) + " were written before the kill");
        return epoch;
    }
}
