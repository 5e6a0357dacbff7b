package io.spotlight.trainer.config;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigUtil;
import java.util.List;

/**
 * One command-line override, parsed but not yet applied.
 *
 * <ul>
 *   <li>{@code key=value} ({@link Kind#SET}): switch a group option or set an existing key;
 *   <li>{@code +key=value} ({@link Kind#ADD}): add a key (or a group) that does not exist yet;
 *   <li>{@code ++key=value} ({@link Kind#FORCE_ADD}): set the key whether it exists or not;
 *   <li>{@code ~key} or {@code ~key=value} ({@link Kind#DELETE}): delete a key (or drop a group).
 * </ul>
 *
 * @param kind  which of the forms above
 * @param key   HOCON path, e.g. {@code optimizer.lr}, or a group name such as {@code model}
 * @param value raw text after the first {@code =}; null only for {@code ~key}
 * @param text  the override exactly as given, for messages
 */
public record ConfigOverride(Kind kind, String key, String value, String text) {

    /** The four override forms. */
    public enum Kind {
        SET(""), ADD("+"), FORCE_ADD("++"), DELETE("~");

        private final String prefix;

        Kind(String prefix) {
            this.prefix = prefix;
        }

        public String prefix() {
            return prefix;
        }
    }

    /** Parses {@code [+|++|~]key[=value]}; the key must be a valid HOCON path. */
    public static ConfigOverride parse(String text) {
        String rest = text.strip();
        Kind kind = Kind.SET;
        if (rest.startsWith("++")) {
            kind = Kind.FORCE_ADD;
        } else if (rest.startsWith("+")) {
            kind = Kind.ADD;
        } else if (rest.startsWith("~")) {
            kind = Kind.DELETE;
        }
        rest = rest.substring(kind.prefix().length());
        int eq = rest.indexOf('=');
        String key = (eq < 0 ? rest : rest.substring(0, eq)).strip();
        String value = eq < 0 ? null : rest.substring(eq + 1).strip();
        if (key.isEmpty()) {
            throw new SpotlightConfigError("Override '" + text + "' has no key; expected key=value");
        }
        if (value == null && kind != Kind.DELETE) {
            throw new SpotlightConfigError("Override '" + text + "' has no '='; expected " + kind.prefix()
                    + key + "=value (or ~" + key + " to delete it)");
        }
        if (!key.contains("/")) { // group names like model/encoder are not HOCON paths
            try {
                ConfigUtil.splitPath(key);
            } catch (ConfigException e) {
                throw new SpotlightConfigError("Override '" + text + "': '" + key
                        + "' is not a valid key path (" + Origins.bareMessage(e) + ")", e);
            }
        }
        return new ConfigOverride(kind, key, value, text);
    }

    /** The key as path segments. */
    public List<String> path() {
        return ConfigUtil.splitPath(key);
    }

    /** Same override with another value, e.g. one element of a sweep. */
    public ConfigOverride withValue(String newValue) {
        return new ConfigOverride(kind, key, newValue, kind.prefix() + key + "=" + newValue);
    }
}
