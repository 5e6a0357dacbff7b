package io.spotlight.trainer.bench;

import java.util.Arrays;

/**
 * Resident memory over many guided steps of one {@link BenchCase}, in a JVM of its own (started by
 * {@link BenchCommand} with a fixed, pre-touched heap): in the benchmark's JVM the earlier cases'
 * freed memory is reused first and the heap grows in steps, which hides or fakes growth. Prints one
 * line per 1,000 steps and {@code growth_mb=X} last.
 *
 * <p>Arguments: steps, warm-up steps, then the case ({@link BenchCase#args}).
 */
public final class RssProbe {
    private RssProbe() {}

    public static void main(String[] args) {
        int steps = Integer.parseInt(args[0]);
        int warmup = Integer.parseInt(args[1]);
        BenchCase c = BenchCase.fromArgs(Arrays.asList(args).subList(2, args.length));
        try (StepBench bench = c.open()) {
            for (int i = 0; i < warmup; i++) {
                bench.guidedStep();
            }
            System.gc();
            java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
            long compiled = jit == null || !jit.isCompilationTimeMonitoringSupported() ? -1 : jit.getTotalCompilationTime();
            double start = StepBench.rssMb();
            System.out.printf("RSS after %d warm-up steps: %.1f MB%n", warmup, start);
            for (int i = 1; i <= steps; i++) {
                bench.guidedStep();
                if (i % 1000 == 0) {
                    System.out.printf("RSS after %d guided steps: %.1f MB%n", i, StepBench.rssMb());
                }
            }
            if (compiled >= 0) {
                System.out.printf("jit_compile_ms=%d%n", jit.getTotalCompilationTime() - compiled);
            }
            System.gc();
            System.out.printf("growth_mb=%.2f%n", StepBench.rssMb() - start);
        }
    }
}
