package io.spotlight.cam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotlight.cam.bench.MemoryProbe;
import io.spotlight.cam.testing.GuidedStepLoop.Variant;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Resident memory stays flat over guided steps after warm-up, and the same bound catches the
 * known leaking pattern (DJL's backward with create_graph). DJL's live-NDArray count cannot see
 * that leak; process RSS does. Each measurement runs in a fresh JVM. The benchmark with figures is {@link io.spotlight.cam.bench.MemoryBench}.
 */
class GuidedStepMemoryTest {
    private static final int WARMUP = 400;
    private static final int STEPS = 400;
    private static final double BOUND_MB = 8;

    /** RSS growth of {@code variant} over STEPS steps after WARMUP, in a fresh JVM with a pre-touched heap. */
    private static double growth(Variant variant) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xms512m", "-Xmx512m", "-XX:+AlwaysPreTouch", "-Dai.djl.offline=true",
                "-cp", System.getProperty("java.class.path"), MemoryProbe.class.getName(),
                variant.name(), Integer.toString(WARMUP), Integer.toString(STEPS))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        Matcher m = Pattern.compile("growth_mb=(-?[0-9.]+)").matcher(out);
        assertTrue(m.find(), out);
        double growth = Double.parseDouble(m.group(1));
        System.out.printf("%-15s RSS growth over %d steps after warm-up: %.1f MB%n", variant, STEPS, growth);
        return growth;
    }

    @Test
    void guidedStepsDoNotGrowResidentMemory() throws Exception {
        double growth = growth(Variant.GUIDED);
        assertTrue(growth < BOUND_MB, "guided steps grew RSS by " + growth + " MB over " + STEPS + " steps");
    }

    @Test
    void theBoundCatchesTheKnownLeak() throws Exception {
        double growth = growth(Variant.LEAKY_BACKWARD);
        assertTrue(growth > BOUND_MB, "the leaking pattern grew RSS by only " + growth + " MB: the bound is too loose to catch it");
    }
}
