package io.spotlight.trainer.run;

import java.nio.file.Path;

/**
 * The run stopped at a step boundary because {@link Preemption} was requested; its in-epoch
 * checkpoint (or none, with {@code checkpoint.enabled = false}) is what the next attempt resumes
 * from. Not a failure: the run's summary says PREEMPTED and its MLflow run stays RUNNING.
 */
public final class PreemptedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Path checkpoint;

    public PreemptedException(String message, Path checkpoint) {
        super(message);
        this.checkpoint = checkpoint;
    }

    /** The checkpoint written at the stop, or null when checkpoints are off. */
    public Path checkpoint() {
        return checkpoint;
    }
}
