package io.spotlight.trainer.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigOriginFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import java.math.BigInteger;
import java.util.regex.Pattern;

/**
 * Turns the text after {@code =} into a config value.
 *
 * <p>Rules, in order: {@code 'text'} is a literal string; {@code "text"}, {@code [..]},
 * {@code {..}} and anything containing {@code ${} are parsed as HOCON (the latter stays an
 * interpolation resolved with the rest of the config); {@code null}, {@code true}, {@code false}
 * and numbers are what they look like; everything else is the plain string as typed. Plain text is
 * not fed to the HOCON parser because {@code //} and {@code #} would start a comment there, which
 * would silently cut {@code http://host:5000} to {@code http:}.
 */
final class OverrideValues {
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");
    private static final Pattern DECIMAL =
            Pattern.compile("[+-]?(\\d+\\.\\d*|\\.\\d+|\\d+)([eE][+-]?\\d+)?");

    private OverrideValues() {}

    static ConfigValue parse(ConfigOverride override) {
        String raw = override.value();
        String origin = "command-line override '" + override.text() + "'";
        if (raw.isEmpty()) {
            throw new SpotlightConfigError("Override '" + override.text() + "' gives no value for '"
                    + override.key() + "'; write " + override.key() + "='' for an empty string");
        }
        if (raw.length() >= 2 && raw.startsWith("'") && raw.endsWith("'")) {
            return ConfigValueFactory.fromAnyRef(raw.substring(1, raw.length() - 1), origin);
        }
        if (raw.startsWith("\"") || raw.startsWith("[") || raw.startsWith("{") || raw.contains("${")) {
            return parseHocon(override, origin);
        }
        switch (raw) {
            case "null":
                return ConfigValueFactory.fromAnyRef(null, origin);
            case "true":
                return ConfigValueFactory.fromAnyRef(true, origin);
            case "false":
                return ConfigValueFactory.fromAnyRef(false, origin);
            default:
                break;
        }
        if (INTEGER.matcher(raw).matches()) {
            BigInteger n = new BigInteger(raw.startsWith("+") ? raw.substring(1) : raw);
            Object number = n.bitLength() < 32 ? (Object) n.intValue()
                    : n.bitLength() < 64 ? (Object) n.longValue() : (Object) n.doubleValue();
            return ConfigValueFactory.fromAnyRef(number, origin);
        }
        if (DECIMAL.matcher(raw).matches()) {
            return ConfigValueFactory.fromAnyRef(Double.parseDouble(raw), origin);
        }
        return ConfigValueFactory.fromAnyRef(raw, origin);
    }

    private static ConfigValue parseHocon(ConfigOverride override, String origin) {
        try {
            Config wrapper = ConfigFactory.parseString("value = " + override.value(),
                    ConfigParseOptions.defaults().setOriginDescription(origin));
            ConfigValue value = wrapper.root().get("value");
            if (value == null) {
                throw new SpotlightConfigError("Override '" + override.text() + "' gives no value for '"
                        + override.key() + "'");
            }
            return value.withOrigin(ConfigOriginFactory.newSimple(origin));
        } catch (SpotlightConfigError e) {
            throw e;
        } catch (ConfigException e) {
            throw new SpotlightConfigError("Override '" + override.text() + "': cannot parse the value of '"
                    + override.key() + "' as HOCON (" + Origins.bareMessage(e) + ")", e);
        }
    }
}
