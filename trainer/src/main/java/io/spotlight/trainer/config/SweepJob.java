package io.spotlight.trainer.config;

import java.util.List;

/**
 * One job of a multirun sweep.
 *
 * @param index     0-based position in the sweep
 * @param overrides the single-run overrides of this job, ready for {@link ConfigComposer#compose}
 * @param name      swept keys and values, e.g. {@code optimizer.lr=0.1,guidance=none}, file-system safe
 */
public record SweepJob(int index, List<String> overrides, String name) {

    /** Directory name inside the sweep directory: {@code <index>_<name>}, or just the index. */
    public String dirName() {
        return name.isEmpty() ? Integer.toString(index) : index + "_" + name;
    }
}
