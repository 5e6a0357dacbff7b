package io.spotlight.trainer.run;

/**
 * The run stopped at a step boundary because {@link Preemption} was requested; the message says
 * where and which checkpoint the next attempt resumes from. Not a failure: the run's summary says
 * PREEMPTED, its MLflow run stays RUNNING and the CLI exits with {@link Preemption#EXIT_CODE}.
 */
public final class PreemptedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PreemptedException(String message) {
        super(message);
    }
}
