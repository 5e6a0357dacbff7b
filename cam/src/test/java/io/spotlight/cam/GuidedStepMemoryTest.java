package io.spotlight.cam;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotlight.cam.testing.GuidedStepLoop;
import io.spotlight.cam.testing.GuidedStepLoop.Variant;
import org.junit.jupiter.api.Test;

/**
 * Resident memory stays flat over guided steps after warm-up, and the same bound catches the
 * known leaking pattern (DJL's backward with create_graph). DJL's live-NDArray count cannot see
 * that leak; process RSS does. The benchmark with figures is {@link io.spotlight.cam.bench.MemoryBench}.
 */
class GuidedStepMemoryTest {
    private static final int WARMUP = 400;
    private static final int STEPS = 400;
    private static final double BOUND_MB = 8;

    private static double growth(Variant variant) {
        try (GuidedStepLoop loop = new GuidedStepLoop(32, 16, 8)) {
            for (int i = 0; i < WARMUP; i++) {
                loop.step(variant);
            }
            System.gc();
            double start = GuidedStepLoop.rssMb();
            for (int i = 0; i < STEPS; i++) {
                loop.step(variant);
            }
            System.gc();
            double growth = GuidedStepLoop.rssMb() - start;
            System.out.printf("%-15s RSS growth over %d steps after warm-up: %.1f MB%n", variant, STEPS, growth);
            return growth;
        }
    }

    @Test
    void guidedStepsDoNotGrowResidentMemory() {
        double growth = growth(Variant.GUIDED);
        assertTrue(growth < BOUND_MB, "guided steps grew RSS by " + growth + " MB over " + STEPS + " steps");
    }

    @Test
    void theBoundCatchesTheKnownLeak() {
        double growth = growth(Variant.LEAKY_BACKWARD);
        assertTrue(growth > BOUND_MB, "the leaking pattern grew RSS by only " + growth + " MB: the bound is too loose to catch it");
    }
}
