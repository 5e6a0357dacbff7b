package io.spotlight.trainer.view;

/** Bad input to {@code ./spotlight view}: the message names the directory, file or port and what was expected. */
public class ViewException extends RuntimeException {
    public ViewException(String message) {
        super(message);
    }

    public ViewException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The port asked for is taken; the message names it and a free one. */
    public static final class PortInUse extends ViewException {
        PortInUse(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
