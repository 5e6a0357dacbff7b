package io.spotlight.trainer.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Small typed view of a resolved config for the trainer. Every getter fails with a
 * {@link SpotlightConfigError} that names the full key, what was expected (type, range or
 * choices), the value found and the {@code file:line} it came from; a missing key suggests close
 * matches.
 */
public final class Cfg {
    private final Config config;
    private final String prefix;

    public Cfg(Config config) {
        this(config, "");
    }

    private Cfg(Config config, String prefix) {
        this.config = config;
        this.prefix = prefix;
    }

    /** The underlying Typesafe config. */
    public Config raw() {
        return config;
    }

    /** True when {@code path} exists and is not null. */
    public boolean has(String path) {
        return config.hasPath(path);
    }

    /** The object at {@code path}; keys in its errors keep the full path. */
    public Cfg at(String path) {
        ConfigValue value = require(path, "an object");
        if (!(value instanceof ConfigObject)) {
            throw wrong(path, "an object", value);
        }
        return new Cfg(((ConfigObject) value).toConfig(), fullKey(path));
    }

    public String getString(String path) {
        ConfigValue value = require(path, "a string");
        if (value.valueType() == ConfigValueType.OBJECT || value instanceof ConfigList) {
            throw wrong(path, "a string", value);
        }
        return String.valueOf(value.unwrapped()); // numbers and booleans read as strings, like Typesafe
    }

    public boolean getBoolean(String path) {
        ConfigValue value = require(path, "a boolean");
        if (value.valueType() != ConfigValueType.BOOLEAN) {
            throw wrong(path, "a boolean", value);
        }
        return (Boolean) value.unwrapped();
    }

    public int getInt(String path) {
        return getInt(path, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    /** An integer in {@code [min, max]}; a fraction such as 2.5 is an error, not truncated. */
    public int getInt(String path, int min, int max) {
        String expected = min == Integer.MIN_VALUE && max == Integer.MAX_VALUE
                ? "an integer" : "an integer in [" + min + ", " + max + "]";
        ConfigValue value = require(path, expected);
        Object n = value.unwrapped();
        if (!(n instanceof Integer || n instanceof Long)
                || ((Number) n).longValue() < min || ((Number) n).longValue() > max) {
            throw wrong(path, expected, value);
        }
        return ((Number) n).intValue();
    }

    public double getDouble(String path) {
        return getDouble(path, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
    }

    /** A number in {@code [min, max]}; integers are accepted. */
    public double getDouble(String path, double min, double max) {
        String expected = Double.isInfinite(min) && Double.isInfinite(max)
                ? "a number" : "a number in [" + min + ", " + max + "]";
        ConfigValue value = require(path, expected);
        if (value.valueType() != ConfigValueType.NUMBER) {
            throw wrong(path, expected, value);
        }
        double d = ((Number) value.unwrapped()).doubleValue();
        if (!(d >= min && d <= max)) {
            throw wrong(path, expected, value);
        }
        return d;
    }

    /** A string that must be one of {@code allowed} (exact match). */
    public String getStringIn(String path, Set<String> allowed) {
        String expected = "one of " + new TreeSet<>(allowed);
        ConfigValue value = require(path, expected);
        if (value.valueType() != ConfigValueType.STRING || !allowed.contains((String) value.unwrapped())) {
            throw wrong(path, expected, value);
        }
        return (String) value.unwrapped();
    }

    /**
     * An enum constant, matched ignoring case with {@code -} read as {@code _}, so
     * {@code grad-cam} selects {@code GRAD_CAM}.
     */
    public <E extends Enum<E>> E getEnum(String path, Class<E> type) {
        List<String> names = new ArrayList<>();
        for (E constant : type.getEnumConstants()) {
            names.add(constant.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        String expected = "one of " + names;
        ConfigValue value = require(path, expected);
        if (value.valueType() == ConfigValueType.STRING) {
            String wanted = ((String) value.unwrapped()).replace('-', '_');
            for (E constant : type.getEnumConstants()) {
                if (constant.name().equalsIgnoreCase(wanted)) {
                    return constant;
                }
            }
        }
        throw wrong(path, expected, value);
    }

    /** Where {@code path}'s value was defined ({@code file:line}), for messages about its meaning. */
    public String origin(String path) {
        return Origins.where(require(path, "a value"));
    }

    /** " Did you mean x?" for the candidates close to {@code name}, or "". */
    public static String didYouMean(String name, List<String> candidates) {
        return ConfigPaths.didYouMean(name, candidates);
    }

    private ConfigValue require(String path, String expected) {
        ConfigValue value;
        try {
            value = ConfigPaths.lookup(config.root(), ConfigUtil.splitPath(path)).value();
        } catch (ConfigException.BadPath e) {
            throw new SpotlightConfigError("'" + fullKey(path) + "' is not a valid config key: " + e.getMessage(), e);
        }
        if (value == null) {
            throw new SpotlightConfigError("Missing config key '" + fullKey(path) + "' (expected " + expected + ")."
                    + ConfigPaths.didYouMean(path, ConfigPaths.allPaths(config.root())));
        }
        if (value.valueType() == ConfigValueType.NULL) {
            throw wrong(path, expected, value);
        }
        return value;
    }

    private SpotlightConfigError wrong(String path, String expected, ConfigValue value) {
        return new SpotlightConfigError("Config key '" + fullKey(path) + "' must be " + expected + ", but is "
                + KeyOverrides.describe(value) + " (defined at " + Origins.where(value) + ")");
    }

    private String fullKey(String path) {
        return prefix.isEmpty() ? path : prefix + "." + path;
    }
}
