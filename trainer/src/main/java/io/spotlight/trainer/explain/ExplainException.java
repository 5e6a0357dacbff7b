package io.spotlight.trainer.explain;

/**
 * A problem that stops {@code explain} before any image is processed: a run directory without its
 * files, an unknown method, layer, target or colormap, or a method the model cannot support. The
 * message names the culprit and, where there is a choice, the valid options.
 */
public final class ExplainException extends RuntimeException {
    public ExplainException(String message) {
        super(message);
    }

    public ExplainException(String message, Throwable cause) {
        super(message, cause);
    }
}
