package io.spotlight.trainer.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * Applies {@code key=value}, {@code +key=value}, {@code ++key=value} and {@code ~key} to a composed,
 * not yet resolved config, checking that set keys exist and that new values fit the old type.
 *
 * <p>Type rules: any number replaces any number (Typesafe parses {@code lambda = 0.0} as the int 0,
 * so "integer" cannot be told from "decimal written as a whole number"; {@link Cfg#getInt} rejects
 * fractions where an integer is read); a number or boolean given for a string becomes that string (the shell cannot tell {@code 2024}
 * from {@code "2024"}, and Typesafe itself reads numbers as strings); an object given for an
 * object is merged into it; {@code null} may replace anything and anything may replace
 * {@code null}; otherwise the types must be equal.
 */
final class KeyOverrides {
    private static final ConfigResolveOptions PARTIAL = ConfigResolveOptions.defaults().setAllowUnresolved(true);

    private final SearchPath searchPath;
    private final Supplier<List<Path>> sourceFiles;

    KeyOverrides(SearchPath searchPath, Supplier<List<Path>> sourceFiles) {
        this.searchPath = searchPath;
        this.sourceFiles = sourceFiles;
    }

    Config apply(Config config, ConfigOverride override) {
        List<String> path = override.path();
        ConfigPaths.Lookup defined = ConfigPaths.lookup(config.root(), path);
        switch (override.kind()) {
            case DELETE:
                requireExists(config, override, defined);
                requireDeletedValueMatches(config, override);
                return config.withoutPath(override.key());
            case ADD:
                if (defined.exists()) {
                    throw new SpotlightConfigError("Override '" + override.text() + "': key '" + override.key()
                            + "' already exists (defined at " + Origins.where(defined.value())
                            + "); change it with " + override.key() + "=" + override.value());
                }
                return add(config, override);
            case FORCE_ADD:
                return defined.exists() ? set(config, override, defined) : add(config, override);
            case SET:
                requireExists(config, override, defined);
                return set(config, override, defined);
            default:
                throw new IllegalStateException(override.kind().toString());
        }
    }

    private Config set(Config config, ConfigOverride override, ConfigPaths.Lookup defined) {
        ConfigValue given = OverrideValues.parse(override);
        ConfigValue current = ConfigPaths.lookup(config.resolve(PARTIAL).root(), override.path()).value();
        return config.withValue(override.key(), fit(override, current, defined.value(), given));
    }

    private Config add(Config config, ConfigOverride override) {
        List<String> path = override.path();
        for (int i = 1; i < path.size(); i++) {
            ConfigPaths.Lookup parent = ConfigPaths.lookup(config.root(), path.subList(0, i));
            if (parent.value() != null && !(parent.value() instanceof ConfigObject)
                    && !ConfigPaths.isUnresolved(parent.value())) {
                String parentKey = ConfigUtil.joinPath(path.subList(0, i));
                throw new SpotlightConfigError("Override '" + override.text() + "': cannot add '" + override.key()
                        + "' because '" + parentKey + "' is " + describe(parent.value()) + ", not an object"
                        + " (defined at " + Origins.where(parent.value()) + ")");
            }
        }
        return config.withValue(override.key(), OverrideValues.parse(override));
    }

    /** The value to store: {@code given}, converted or merged where the type rules allow it. */
    private static ConfigValue fit(ConfigOverride override, ConfigValue current, ConfigValue defined,
            ConfigValue given) {
        if (current == null || ConfigPaths.isUnresolved(current) || ConfigPaths.isUnresolved(given)) {
            return given; // an interpolation: its type is only known after resolution
        }
        ConfigValueType want = current.valueType();
        ConfigValueType got = given.valueType();
        if (want == ConfigValueType.NULL || got == ConfigValueType.NULL) {
            return given;
        }
        if (want == ConfigValueType.STRING
                && (got == ConfigValueType.NUMBER || got == ConfigValueType.BOOLEAN)) {
            return ConfigValueFactory.fromAnyRef(override.value(), given.origin().description());
        }
        if (want == ConfigValueType.OBJECT && got == ConfigValueType.OBJECT) {
            return ((ConfigObject) given).withFallback(defined);
        }
        if (want == got) {
            return given;
        }
        throw new SpotlightConfigError("Override '" + override.text() + "': '" + override.key() + "' expects "
                + withArticle(ConfigPaths.typeName(current)) + " but was given " + describe(given)
                + "; '" + override.key() + "' is defined at " + Origins.where(defined)
                + " with value " + render(current));
    }

    private void requireExists(Config config, ConfigOverride override, ConfigPaths.Lookup defined) {
        if (defined.exists()) {
            return;
        }
        StringBuilder message = new StringBuilder("Override '" + override.text() + "': key '" + override.key()
                + "' does not exist in the config.");
        message.append(ConfigPaths.didYouMean(override.key(), ConfigPaths.allPaths(config.resolve(PARTIAL).root())));
        if (override.path().size() == 1 && searchPath.hasGroup(override.key())) {
            message.append(" '").append(override.key()).append("' is a config group that is not in the defaults list;")
                    .append(" add it with +").append(override.key()).append("=<option> (options: ")
                    .append(String.join(", ", searchPath.options(override.key()))).append(").");
        } else if (override.kind() == ConfigOverride.Kind.SET) {
            message.append(" To add a new key write +").append(override.key()).append('=')
                    .append(override.value()).append('.');
        }
        message.append(" Config files: ").append(sourceFiles.get());
        throw new SpotlightConfigError(message.toString());
    }

    /** {@code ~key=value} deletes only when the key currently has that value, as in Hydra. */
    private static void requireDeletedValueMatches(Config config, ConfigOverride override) {
        if (override.value() == null) {
            return;
        }
        ConfigValue current = ConfigPaths.lookup(config.resolve(PARTIAL).root(), override.path()).value();
        if (current != null && !ConfigPaths.isUnresolved(current)
                && !String.valueOf(current.unwrapped()).equals(override.value())) {
            throw new SpotlightConfigError("Override '" + override.text() + "': '" + override.key() + "' is "
                    + render(current) + ", not " + override.value() + "; write ~" + override.key()
                    + " to delete it whatever its value");
        }
    }

    static String describe(ConfigValue value) {
        return ConfigPaths.isUnresolved(value) ? "an interpolation"
                : withArticle(ConfigPaths.typeName(value)) + " " + render(value);
    }

    private static String withArticle(String typeName) {
        return ("aeiou".indexOf(typeName.charAt(0)) >= 0 ? "an " : "a ") + typeName;
    }

    private static String render(ConfigValue value) {
        return value.render(ConfigRenderOptions.concise());
    }
}
