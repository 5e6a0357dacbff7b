package io.spotlight.trainer.launch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real one-node SLURM ({@code scripts/local-slurm.sh}) for a test class: started before its
 * tests and stopped after them, unless it was running already (then it is left as it was).
 * Register it as a static field with {@code @RegisterExtension}.
 */
public final class LocalSlurm implements BeforeAllCallback, AfterAllCallback {
    private static final Path SCRIPT = Path.of("..").toAbsolutePath().normalize().resolve("scripts/local-slurm.sh");
    private boolean startedHere;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        boolean running = run("status").code == 0;
        if (!running) {
            Out start = run("start");
            if (start.code != 0) {
                throw new IllegalStateException("scripts/local-slurm.sh start failed (root and the Debian packages slurmctld,"
                        + " slurmd, slurm-client, munge are needed; ./spotlight test installs them):\n" + start.text);
            }
            startedHere = true;
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (startedHere) {
            run("stop");
        }
    }

    /** {@code scontrol ARGS}; fails the test when it fails. */
    public static String scontrol(String... args) throws IOException, InterruptedException {
        return tool("scontrol", args);
    }

    /** {@code scancel ARGS} (e.g. a signal to a task's batch shell); fails the test when it fails. */
    public static String scancel(String... args) throws IOException, InterruptedException {
        return tool("scancel", args);
    }

    private static String tool(String name, String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of(name));
        cmd.addAll(List.of(args));
        Out o = exec(cmd);
        if (o.code != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + o.text);
        }
        return o.text;
    }

    private record Out(int code, String text) {}

    private static Out run(String what) throws IOException, InterruptedException {
        return exec(List.of(SCRIPT.toString(), what));
    }

    private static Out exec(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Out(p.waitFor(), text);
    }
}
