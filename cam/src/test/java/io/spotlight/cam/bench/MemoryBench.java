package io.spotlight.cam.bench;

import io.spotlight.cam.testing.GuidedStepLoop;
import io.spotlight.cam.testing.GuidedStepLoop.Variant;

/**
 * Prints resident memory every 250 steps over 2,000 guided steps (and the same for cross-entropy
 * only), batch 64 of 28×28, two heads. Run: {@code ./spotlight bench-memory}.
 */
public final class MemoryBench {
    private MemoryBench() {}

    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int every = args.length > 1 ? Integer.parseInt(args[1]) : 250;
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        int size = args.length > 3 ? Integer.parseInt(args[3]) : 28;
        int channels = args.length > 4 ? Integer.parseInt(args[4]) : 16;
        for (Variant variant : new Variant[] {Variant.BASELINE, Variant.GUIDED}) {
            try (GuidedStepLoop loop = new GuidedStepLoop(batch, size, channels)) {
                double first = 0;
                long t0 = System.nanoTime();
                for (int i = 1; i <= steps; i++) {
                    loop.step(variant);
                    if (i % every == 0 || i == 1) {
                        double rss = GuidedStepLoop.rssMb();
                        if (i == every) {
                            first = rss;
                        }
                        Runtime rt = Runtime.getRuntime();
                        System.out.printf("%-8s step %5d  RSS %7.1f MB  JVM heap committed %6.1f MB  %.2f ms/step%n",
                                variant, i, rss, rt.totalMemory() / 1048576.0, (System.nanoTime() - t0) / 1e6 / i);
                    }
                }
                System.out.printf("%-8s growth from step %d to %d: %.1f MB%n", variant, every, steps, GuidedStepLoop.rssMb() - first);
            }
        }
    }
}
