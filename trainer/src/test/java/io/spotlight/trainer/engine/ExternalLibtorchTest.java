package io.spotlight.trainer.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The GPU build's path on this CPU machine: DJL loads the libtorch of PyPI's torch==2.7.1 wheel
 * (a CUDA 12.8 build; {@code scripts/install-torch.sh}) through {@code PYTORCH_LIBRARY_PATH},
 * {@code PYTORCH_VERSION}, {@code PYTORCH_FLAVOR}, offline, and runs guided steps with it; every
 * array of a step is on the input's device. Without that venv (several GB, not installed by
 * {@code ./spotlight test}) the test is skipped and says so.
 */
class ExternalLibtorchTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    @Test
    void theEngineLoadsPipsLibtorchAndRunsGuidedStepsOnTheInputsDevice() throws Exception {
        Path lib = torchLib(REPO.resolve(".venv/torch"));
        Assumptions.assumeTrue(lib != null, "no pip torch in .venv/torch: run scripts/install-torch.sh for this test");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"),
                GuidedStepProbe.class.getName(), REPO.toString()).redirectErrorStream(true);
        pb.environment().put("PYTORCH_LIBRARY_PATH", lib.toString());
        pb.environment().put("PYTORCH_VERSION", "2.7.1");
        pb.environment().put("PYTORCH_FLAVOR", "cpu"); // cu128 needs the NVIDIA driver's libcuda.so.1
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        System.out.println(out);
        assertTrue(out.contains("engine_version=2.7.1"), out);
        String libtorch = value(out, "libtorch_cpu=");
        assertTrue(libtorch.startsWith(lib.toRealPath().toString()) || libtorch.startsWith(lib.toString()),
                "libtorch_cpu.so is pip's: " + libtorch);
        String jni = value(out, "jni=");
        assertTrue(jni.contains("/2.7.1-cpu-linux-x86_64/"), "the JNI flavour DJL loaded: " + jni);
        List<String> losses = values(out, "loss=");
        assertEquals(3, losses.size());
        for (String l : losses) {
            double loss = Double.parseDouble(l.substring(0, l.indexOf(' ')));
            double penalty = Double.parseDouble(l.substring(l.indexOf("penalty=") + 8));
            assertTrue(Double.isFinite(loss) && loss > 0 && penalty > 0 && penalty < 1, l);
        }
        List<String> on = values(out, "arrays_on=");
        assertEquals(1, on.size(), "every array on one device: " + on);
        assertTrue(on.get(0).startsWith(value(out, "input_device=") + " "), on + " vs the input's device");
        assertTrue(Integer.parseInt(on.get(0).substring(on.get(0).indexOf(' ') + 1)) > 50, "arrays were recorded: " + on);
    }

    /** {@code VENV/lib/python3.X/site-packages/torch/lib}, or null. */
    static Path torchLib(Path venv) throws Exception {
        if (!Files.isRegularFile(venv.resolve(".spotlight-install-stamp"))) {
            return null;
        }
        try (Stream<Path> pythons = Files.list(venv.resolve("lib"))) {
            for (Path py : pythons.toList()) {
                Path lib = py.resolve("site-packages/torch/lib");
                if (Files.isRegularFile(lib.resolve("libtorch.so"))) {
                    return lib;
                }
            }
        }
        return null;
    }

    private static String value(String out, String key) {
        List<String> v = values(out, key);
        assertTrue(!v.isEmpty(), key + " missing in\n" + out);
        return v.get(0);
    }

    private static List<String> values(String out, String key) {
        List<String> v = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.startsWith(key)) {
                v.add(line.substring(key.length()).strip());
            }
        }
        return v;
    }
}
