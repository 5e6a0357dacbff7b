package io.spotlight.cam;

/**
 * Bad input to a CAM computation: an unknown layer or head, a class out of range, a mask that does
 * not fit. The message names the culprit and what was expected.
 */
public class CamException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public CamException(String message) {
        super(message);
    }

    public CamException(String message, Throwable cause) {
        super(message, cause);
    }
}
