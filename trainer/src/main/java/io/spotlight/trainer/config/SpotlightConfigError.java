package io.spotlight.trainer.config;

import com.typesafe.config.ConfigException;

/**
 * The one exception type of Spotlight's configuration layer: every problem with config files,
 * overrides, sweeps or typed access ends here, with a message that names the key, file, group or
 * option involved and says what would have been accepted.
 *
 * <p>It extends Typesafe's {@link ConfigException} so callers that already catch that keep working;
 * it is unchecked.
 */
public class SpotlightConfigError extends ConfigException {
    private static final long serialVersionUID = 1L;

    public SpotlightConfigError(String message) {
        super(message);
    }

    public SpotlightConfigError(String message, Throwable cause) {
        super(message, cause);
    }
}
