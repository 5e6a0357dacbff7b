package io.spotlight.trainer.launch;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Reads each trial's {@code summary.json}: what every launcher returns, and what collect gathers. */
public final class TrialResults {
    private TrialResults() {}

    /** @param logOf the log file of a trial's index, or null when the trial had no log of its own */
    public static List<TrialOutcome> collect(LaunchPlan plan, Function<Integer, Path> logOf) throws IOException {
        List<TrialOutcome> out = new ArrayList<>();
        for (int i = 0; i < plan.trials().size(); i++) {
            TrialSpec spec = plan.trials().get(i);
            Map<String, Object> summary = Trial.summary(spec.runDir());
            Object status = summary.get("status");
            Object error = summary.get("error");
            String st = status == null ? "MISSING" : status.toString();
            if (status == null) {
                error = "no " + io.spotlight.trainer.run.RunFilesListener.SUMMARY + " was written";
            }
            out.add(new TrialOutcome(spec, st, summary, error == null ? null : error.toString(), logOf.apply(i)));
        }
        return out;
    }
}
