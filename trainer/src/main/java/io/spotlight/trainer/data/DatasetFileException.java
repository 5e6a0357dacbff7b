package io.spotlight.trainer.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A data set file is missing, truncated or not what it claims to be. The message always names the
 * file and says what was wrong and, where it helps, how to fix it.
 */
public final class DatasetFileException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;

    /**
     * @param file the offending file
     * @param message what was wrong with it (the file name is added in front)
     */
    public DatasetFileException(Path file, String message) {
        super(file + ": " + message);
        this.file = file;
    }

    /**
     * @param file the offending file
     * @param message what was wrong with it (the file name is added in front)
     * @param cause the low-level error behind it
     */
    public DatasetFileException(Path file, String message, Throwable cause) {
        super(file + ": " + message, cause);
        this.file = file;
    }

    /** @return the file this error is about */
    public Path file() {
        return file;
    }
}
