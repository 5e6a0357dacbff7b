package io.spotlight.trainer.bench;

import ai.djl.ndarray.types.Shape;

/**
 * Resident memory over many guided steps, in a JVM of its own (started by {@link BenchCommand}
 * with a fixed, pre-touched heap): in the benchmark's JVM the earlier cases' freed memory is
 * reused first and the heap grows in steps, which hides or fakes growth. Prints one line per
 * 1,000 steps and {@code growth_mb=X} last.
 */
public final class RssProbe {
    private RssProbe() {}

    public static void main(String[] args) {
        int steps = Integer.parseInt(args[0]);
        try (StepBench bench = new StepBench(BenchCommand.smallCnn(2), new Shape(64, 1, 28, 28),
                BenchCommand.FEATURES.smallCnnLayer(), 1, BenchCommand.FEATURES.mode())) {
            for (int i = 0; i < Math.min(1000, steps); i++) {
                bench.guidedStep();
            }
            System.gc();
            double start = StepBench.rssMb();
            System.out.printf("RSS after 1000 warm-up steps: %.1f MB%n", start);
            for (int i = 1; i <= steps; i++) {
                bench.guidedStep();
                if (i % 1000 == 0) {
                    System.out.printf("RSS after %d guided steps: %.1f MB%n", i, StepBench.rssMb());
                }
            }
            System.gc();
            System.out.printf("growth_mb=%.2f%n", StepBench.rssMb() - start);
        }
    }
}
