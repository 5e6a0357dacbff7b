package io.spotlight.trainer.launch;

import java.nio.file.Path;
import java.util.List;

/**
 * One trial of a sweep, a comparison or a suite: a run made from a primary config and overrides,
 * in a run directory of its own. A launcher only needs this to run it anywhere the filesystem is
 * shared: the trial's process composes the config itself.
 *
 * @param name      what the trial is called in progress and results (a job's or variant's name)
 * @param primary   the primary config (absolute)
 * @param configs   the config search path (folders of config groups), as the composer of the launch had it
 * @param overrides the overrides of this trial, ready for {@code ConfigComposer.compose}
 * @param runDir    its run directory (absolute; created, empty, before launching)
 */
public record TrialSpec(String name, Path primary, List<Path> configs, List<String> overrides, Path runDir) {
    public TrialSpec {
        configs = List.copyOf(configs);
        overrides = List.copyOf(overrides);
    }
}
