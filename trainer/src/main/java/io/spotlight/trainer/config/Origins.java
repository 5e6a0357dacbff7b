package io.spotlight.trainer.config;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigValue;

/** Formats where a value or an error comes from as {@code file:line}, the form editors jump to. */
final class Origins {
    private Origins() {}

    static String where(ConfigValue value) {
        return where(value == null ? null : value.origin());
    }

    static String where(ConfigOrigin origin) {
        if (origin == null) {
            return "unknown location";
        }
        String file = origin.filename() != null ? origin.filename()
                : origin.url() != null ? origin.url().toString() : null;
        if (file == null) {
            return origin.description(); // already carries ": line" when known
        }
        return origin.lineNumber() >= 0 ? file + ":" + origin.lineNumber() : file;
    }

    /** Typesafe prefixes messages with the origin description; strip it when we print our own. */
    static String bareMessage(ConfigException e) {
        String message = e.getMessage();
        if (e.origin() != null) {
            String prefix = e.origin().description() + ": ";
            if (message.startsWith(prefix)) {
                return message.substring(prefix.length());
            }
        }
        return message;
    }
}
