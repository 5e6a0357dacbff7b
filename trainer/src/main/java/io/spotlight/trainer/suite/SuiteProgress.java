package io.spotlight.trainer.suite;

import io.spotlight.trainer.launch.LocalLauncher;
import io.spotlight.trainer.launch.TrialSpec;
import java.nio.file.Path;
import java.util.List;

/**
 * A suite in this process: a line before each trial ({@code == trial i/N: kind / variant / seed
 * s}, counting the trials finished before) and {@code suite.json} rewritten after it, so a suite
 * of hours can be watched.
 */
final class SuiteProgress implements LocalLauncher.Listener {
    private final Suite suite;
    private final Path outDir;
    private final List<Suite.Cell> cells;
    private final List<Integer> positions;
    private final long start = System.nanoTime();

    /** @param positions the position among {@code cells} of each trial of the launch */
    SuiteProgress(Suite suite, Path outDir, List<Suite.Cell> cells, List<Integer> positions) {
        this.suite = suite;
        this.outDir = outDir;
        this.cells = cells;
        this.positions = positions;
    }

    @Override
    public void starting(int index, TrialSpec trial) {
        int at = positions.get(index);
        Suite.Cell cell = cells.get(at);
        System.out.printf("== trial %d/%d: %s / %s / seed %d (%.0f s so far)%n", at + 1, cells.size(), cell.kind(),
                cell.variant(), cell.seed(), (System.nanoTime() - start) / 1e9);
    }

    @Override
    public void ended(int index, TrialSpec trial) throws Exception {
        suite.write(outDir);
    }
}
