package io.spotlight.trainer.run;

/** A run directory that cannot be resumed, with a message that names it and says why. */
public final class ResumeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ResumeException(String message) {
        super(message);
    }
}
