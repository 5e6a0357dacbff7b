package io.spotlight.cam.bench;

import io.spotlight.cam.testing.GuidedStepLoop;

/**
 * Measures RSS growth of one step variant in a process of its own: {@code MemoryProbe VARIANT
 * WARMUP STEPS} prints {@code growth_mb=X}. A fresh process matters: memory another loop freed
 * earlier in the same process is reused without raising RSS and would hide a leak.
 */
public final class MemoryProbe {
    private MemoryProbe() {}

    public static void main(String[] args) {
        GuidedStepLoop.Variant variant = GuidedStepLoop.Variant.valueOf(args[0]);
        int warmup = Integer.parseInt(args[1]);
        int steps = Integer.parseInt(args[2]);
        try (GuidedStepLoop loop = new GuidedStepLoop(32, 16, 8)) {
            for (int i = 0; i < warmup; i++) {
                loop.step(variant);
            }
            System.gc();
            double start = GuidedStepLoop.rssMb();
            for (int i = 0; i < steps; i++) {
                loop.step(variant);
            }
            System.gc();
            System.out.printf("growth_mb=%.2f%n", GuidedStepLoop.rssMb() - start);
        }
    }
}
