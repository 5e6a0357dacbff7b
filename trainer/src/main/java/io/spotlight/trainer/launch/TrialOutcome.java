package io.spotlight.trainer.launch;

import java.nio.file.Path;
import java.util.Map;

/**
 * How a trial ended, read from its run directory's {@code summary.json}.
 *
 * @param status  {@code FINISHED}, {@code FAILED}, or {@code MISSING} when the trial left no summary
 * @param summary the summary (empty when missing)
 * @param error   why it failed, or null
 * @param log     the trial's log file when it ran in a process of its own, else null
 */
public record TrialOutcome(TrialSpec spec, String status, Map<String, Object> summary, String error, Path log) {
    public boolean finished() {
        return "FINISHED".equals(status);
    }

    /** One line for the terminal: name, status, and for a failure why and where its log is. */
    public String describe() {
        StringBuilder s = new StringBuilder(spec.name()).append(": ").append(status);
        if (!finished()) {
            if (error != null) {
                s.append(" (").append(error).append(')');
            }
            s.append("; run directory ").append(spec.runDir());
            if (log != null) {
                s.append("; log ").append(log);
            }
        }
        return s.toString();
    }

    /**
     * Prints {@code what + describe()} for every trial that did not finish (with its log when it
     * had one) and returns how many: what a launch's report lists before its exit code.
     */
    public static int printFailed(String what, java.util.List<TrialOutcome> outcomes) {
        int failed = 0;
        for (TrialOutcome o : outcomes) {
            if (!o.finished()) {
                failed++;
                System.out.println(what + o.describe());
            }
        }
        return failed;
    }
}
