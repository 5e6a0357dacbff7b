package io.spotlight.trainer.run;

/** A loss became NaN or infinite; the step was not taken and the last checkpoint stays valid. */
public class NonFiniteLossException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NonFiniteLossException(String message) {
        super(message);
    }
}
