package io.spotlight.trainer.run;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A request to stop soon: SLURM's {@code --signal=B:USR1@grace} before a time limit or a
 * preemption reaches the batch script, whose trap creates a flag file; the training loop looks for
 * it after every step ({@link #requested}, one {@code stat}), writes an in-epoch checkpoint and
 * ends with {@link #EXIT_CODE}; the script then requeues the task and the next attempt resumes at
 * that step. A file rather than a signal handler in the JVM: the JVM runs with {@code -Xrs}
 * (shutdown hooks racing the native training thread crashed it), and {@code sun.misc.Signal} is
 * JDK-internal. Where the flag is: {@value #ENV} (the batch script sets it) or the system property
 * {@value #PROPERTY}; without either nothing is ever requested.
 */
public final class Preemption {
    public static final String ENV = "SPOTLIGHT_PREEMPT_FLAG";
    public static final String PROPERTY = "spotlight.preempt_flag";
    /** The exit code of a run that stopped for a requeue (sysexits' EX_TEMPFAIL: "try again later"). */
    public static final int EXIT_CODE = 75;

    private final Path flag;

    private Preemption(Path flag) {
        this.flag = flag;
    }

    /** The flag this process was given, if any. */
    public static Preemption fromEnvironment() {
        String path = System.getProperty(PROPERTY, System.getenv(ENV));
        return new Preemption(path == null || path.isBlank() ? null : Path.of(path));
    }

    public boolean requested() {
        return flag != null && Files.exists(flag);
    }
}
