package io.spotlight.trainer.launch;

import io.spotlight.trainer.config.Cfg;
import io.spotlight.trainer.config.SpotlightConfigError;
import java.util.List;

/** The {@code launcher} keys of {@code configs/launcher/slurm.conf}, checked. */
public record SlurmOptions(String partition, int timeMin, int cpusPerTask, int gpusPerNode, int memGb,
        int arrayParallelism, String account, String qos, int signalDelayS, List<String> additional, List<String> setup,
        int pollS) {

    /** @param launcher the config's {@code launcher} object */
    public static SlurmOptions of(Cfg launcher) {
        SlurmOptions o = new SlurmOptions(optional(launcher, "partition"), launcher.getInt("time_min", 1, 525_600),
                launcher.getInt("cpus_per_task", 1, 4096), launcher.getInt("gpus_per_node", 0, 64),
                launcher.getInt("mem_gb", 1, 1 << 16), launcher.getInt("array_parallelism", 1, 1 << 16),
                optional(launcher, "account"), optional(launcher, "qos"), launcher.getInt("signal_delay_s", 0, 65_535),
                lines(launcher, "additional"), lines(launcher, "setup"), launcher.getInt("poll_s", 1, 3600));
        if (o.signalDelayS >= o.timeMin * 60) {
            throw new SpotlightConfigError("launcher.signal_delay_s = " + o.signalDelayS + " must be shorter than the time limit"
                    + " (launcher.time_min = " + o.timeMin + " minutes), or the trial is signalled as it starts");
        }
        return o;
    }

    /** Only the poll interval matters to a process that waits for a job submitted earlier. */
    static SlurmOptions forWaiting() {
        return new SlurmOptions(null, 60, 1, 0, 1, 1, null, null, 0, List.of(), List.of(), 5);
    }

    private static String optional(Cfg c, String key) {
        return !c.has(key) || c.raw().getIsNull(key) ? null : c.getString(key);
    }

    private static List<String> lines(Cfg c, String key) {
        try {
            return c.raw().getStringList(key);
        } catch (com.typesafe.config.ConfigException e) {
            throw new SpotlightConfigError("launcher." + key + " must be a list of strings, e.g. [\"--exclusive\"] (defined at "
                    + c.origin(key) + ")", e);
        }
    }
}
