package io.spotlight.trainer.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spotlight.trainer.cli.Home;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The PyTorch eager twin of the benchmark ({@code scripts/bench_twin.py}) in a Python process of
 * its own, kept for the whole benchmark so that each DJL case is followed at once by the same case
 * in PyTorch: both see the same window of the machine's load. torch comes from the private venv
 * that {@code scripts/install-torch.sh} makes (installed on first use), with as many intra-op
 * threads as the JVM's PyTorch uses.
 */
final class PytorchTwin implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Process process;
    private final BufferedReader out;
    private final Writer in;

    record Timing(double baselineMs, double guidedMs) {}

    private PytorchTwin(Process process) {
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    }

    static PytorchTwin start(int threads) throws IOException, InterruptedException {
        Path root = Home.get();
        Process install = new ProcessBuilder(root.resolve("scripts/install-torch.sh").toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String venv = new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (install.waitFor() != 0 || venv.isEmpty()) {
            throw new IllegalStateException("--vs-pytorch needs torch in a private venv, and scripts/install-torch.sh failed"
                    + " (exit " + install.exitValue() + "; its messages are above)");
        }
        Process p = new ProcessBuilder(Path.of(venv, "bin", "python").toString(), root.resolve("scripts/bench_twin.py").toString(),
                "--threads", Integer.toString(threads)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        PytorchTwin twin = new PytorchTwin(p);
        String ready = twin.out.readLine();
        if (ready == null || !ready.startsWith("READY")) {
            twin.close();
            throw new IllegalStateException("the PyTorch twin did not start: " + ready);
        }
        System.out.println("PyTorch twin: " + ready.substring("READY ".length()));
        return twin;
    }

    /** The case in PyTorch: median baseline and guided step in ms, timed as {@link StepBench} times them. */
    Timing measure(BenchCase c, int warmup, int steps) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("model", c.model());
        spec.put("heads", c.heads());
        // the counterfactual variants have no map layer
        spec.put("layer_kind", c.variant() == BenchCommand.CONV1 ? "conv1" : c.variant().smallCnnLayer() == null ? "input" : "features");
        spec.put("penalty", c.variant().penalty());
        spec.put("pairs", c.pairs());
        spec.put("mode", c.variant().mode().name().toLowerCase(java.util.Locale.ROOT));
        spec.put("every", c.amortisation().every());
        spec.put("sub_batch", c.amortisation().subBatch());
        spec.put("warmup", warmup);
        spec.put("steps", steps);
        try {
            in.write(JSON.writeValueAsString(spec) + "\n");
            in.flush();
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith("RESULT ")) {
                    JsonNode r = JSON.readTree(line.substring("RESULT ".length()));
                    return new Timing(r.get("baseline_ms").asDouble(), r.get("guided_ms").asDouble());
                }
            }
            throw new IllegalStateException("the PyTorch twin ended without a result for " + spec);
        } catch (IOException e) {
            throw new UncheckedIOException("talking to the PyTorch twin", e);
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

}
