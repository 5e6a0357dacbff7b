package io.spotlight.trainer.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Composes a config the way Hydra does, with HOCON files.
 *
 * <ol>
 *   <li>Parse the primary file (its {@code include}s are relative to it and must exist).
 *   <li>Read its {@code defaults} list ({@link DefaultsList}) and apply group overrides
 *       ({@code model=wide-cnn}, {@code +extra=x}, {@code ~tracking}).
 *   <li>Merge in defaults-list order, later wins: each group option file under the group's key
 *       ({@code dataset/decoy-fmnist.conf} becomes {@code dataset { ... }}) and the primary's own
 *       keys at {@code _self_} (last unless listed). Group files are placed as if included at
 *       their key, so inside {@code model/x.conf} {@code ${hidden}} means {@code model.hidden} when
 *       that exists and the root {@code hidden} otherwise; {@code ${dataset.num_classes}} is absolute.
 *   <li>Apply key overrides in order ({@link KeyOverrides}).
 *   <li>Resolve {@code ${...}} once, last, so interpolations see overridden values.
 * </ol>
 *
 * <p>A built-in layer under everything declares {@code run.dir = null}, so {@code run.dir=...}
 * is always a valid override (see {@link RunDirectories}). Group options are found on an explicit
 * {@link SearchPath}. Group overrides are applied before key overrides, whatever their order.
 */
public final class ConfigComposer {
    private static final Config BUILTIN = ConfigFactory.parseString(
            "run { dir = null }", ConfigParseOptions.defaults().setOriginDescription("Spotlight built-in defaults"));

    private final SearchPath searchPath;

    public ConfigComposer(SearchPath searchPath) {
        this.searchPath = searchPath;
    }

    /** Convenience: search path = the primary's folder, then {@code repoConfigDir}. */
    public static ComposedConfig compose(Path primaryFile, Path repoConfigDir, List<String> overrides) {
        return new ConfigComposer(SearchPath.forPrimary(primaryFile, repoConfigDir)).compose(primaryFile, overrides);
    }

    public SearchPath searchPath() {
        return searchPath;
    }

    /**
     * Composes {@code primaryFile} with single-run {@code overrides}; sweeps are rejected.
     *
     * @throws SpotlightConfigError for every problem, never a bare Typesafe exception
     */
    public ComposedConfig compose(Path primaryFile, List<String> overrides) {
        Path primary = primaryFile.toAbsolutePath().normalize();
        if (!Files.isRegularFile(primary)) {
            throw new SpotlightConfigError("Primary config file not found: " + primary);
        }
        SourceFiles sources = new SourceFiles();
        try {
            return compose(primary, overrides, sources);
        } catch (SpotlightConfigError e) {
            throw e;
        } catch (ConfigException e) {
            // Anything Typesafe raises that the steps below did not turn into a specific message.
            throw new SpotlightConfigError("Cannot compose " + primary + ": " + e.getMessage()
                    + ". Config files: " + sources.files(), e);
        }
    }

    private ComposedConfig compose(Path primary, List<String> overrides, SourceFiles sources) {
        ConfigParseOptions options = ConfigParseOptions.defaults().setIncluder(new StrictIncluder(sources));
        Config primaryConfig = sources.parse(primary, options);

        List<ConfigOverride> parsed = new ArrayList<>();
        for (String text : overrides) {
            parsed.add(rejectSweep(ConfigOverride.parse(text)));
        }
        DefaultsList defaults = DefaultsList.read(primaryConfig, primary);
        List<ConfigOverride> keyOverrides = new ArrayList<>();
        for (ConfigOverride override : parsed) {
            if (isGroupOverride(override, defaults)) {
                defaults.apply(override);
            } else {
                keyOverrides.add(override);
            }
        }

        Config own = primaryConfig.withoutPath(DefaultsList.KEY);
        Config merged = BUILTIN;
        for (String entry : defaults.order()) {
            if (entry.equals(DefaultsList.SELF)) {
                merged = own.withFallback(merged);
            } else if (defaults.option(entry) != null) {
                merged = loadGroup(entry, defaults.option(entry), options, sources).withFallback(merged);
            }
        }
        StrictKeys.Unmarked unmarked = StrictKeys.unmark(merged); // "+key" in a file: the user's own key
        merged = unmarked.config();
        KeyOverrides applier = new KeyOverrides(searchPath, sources::files);
        for (ConfigOverride override : keyOverrides) {
            merged = applier.apply(merged, override);
        }
        Config resolved = resolve(merged, sources);
        List<Path> dirs = searchPath.dirs();
        StrictKeys.check(resolved, dirs.size() > 1 ? dirs.get(dirs.size() - 1) : null, unmarked.userKeys());
        return new ComposedConfig(resolved, List.copyOf(overrides), sources.files(), defaults.choices(), searchPath);
    }

    /**
     * A group override names a group of the defaults list, or adds ({@code +}/{@code ++}) a group
     * that exists as a folder on the search path, as {@code +db=mysql} does in Hydra. A value
     * written as an object, list or quoted string is a key override even for a group's key.
     */
    private boolean isGroupOverride(ConfigOverride override, DefaultsList defaults) {
        if (override.value() != null && override.value().matches("[\\[{\"'].*")) {
            return false; // optimizer={lr = 0.2} sets keys of the group's object, it names no option
        }
        if (defaults.hasGroup(override.key())) {
            return true;
        }
        boolean adds = override.kind() == ConfigOverride.Kind.ADD || override.kind() == ConfigOverride.Kind.FORCE_ADD;
        return adds && (override.key().contains("/") || !override.key().contains("."))
                && searchPath.hasGroup(override.key());
    }

    private Config loadGroup(String group, String option, ConfigParseOptions options, SourceFiles sources) {
        Path file = searchPath.findOption(group, option).orElseThrow(() -> missingOption(group, option));
        // Parsing `group { include file("...") }` rather than the file alone makes Typesafe relocate
        // the file's relative interpolations under the group key, as a HOCON include does.
        List<String> keyPath = Arrays.asList(group.split("/"));
        String wrapper = ConfigUtil.joinPath(keyPath) + " { include file(" + ConfigUtil.quoteString(file.toString()) + ") }";
        Config layer;
        try {
            layer = ConfigFactory.parseString(wrapper,
                    options.setOriginDescription("defaults list entry " + group + "=" + option));
        } catch (SpotlightConfigError e) {
            throw e;
        } catch (ConfigException.Parse e) {
            throw new SpotlightConfigError("HOCON syntax error in " + Origins.where(e.origin()) + ": "
                    + Origins.bareMessage(e), e);
        }
        ConfigValue nested = ConfigPaths.lookup(layer.root(), keyPath).value();
        if (nested instanceof ConfigObject && ((ConfigObject) nested).get(DefaultsList.KEY) instanceof ConfigList) {
            throw new SpotlightConfigError("Group option file " + file + " has its own defaults list;"
                    + " only the primary config's defaults list is read (move its groups there)");
        }
        return layer;
    }

    private SpotlightConfigError missingOption(String group, String option) {
        if (!searchPath.hasGroup(group)) {
            return new SpotlightConfigError("Config group '" + group + "' (option '" + option + "') not found:"
                    + " no folder '" + group + "' in search path " + searchPath + ". Groups found: "
                    + String.join(", ", searchPath.groups()) + "."
                    + ConfigPaths.didYouMean(group, new ArrayList<>(searchPath.groups())));
        }
        return new SpotlightConfigError("Config group '" + group + "' has no option '" + option + "'."
                + " Available options: " + String.join(", ", searchPath.options(group))
                + " (looked for " + group + "/" + option + SearchPath.OPTION_EXTENSION + " in " + searchPath + ")");
    }

    private static ConfigOverride rejectSweep(ConfigOverride override) {
        if (override.value() != null && Sweeps.isSweep(override.value())) {
            throw new SpotlightConfigError("Override '" + override.text() + "' is a sweep (several values for '"
                    + override.key() + "'); sweeps need a multirun (-m). To pass a string containing commas,"
                    + " quote it: " + override.key() + "='" + override.value() + "'");
        }
        return override;
    }

    private static Config resolve(Config merged, SourceFiles sources) {
        try {
            return merged.resolve();
        } catch (ConfigException.UnresolvedSubstitution e) {
            throw new SpotlightConfigError("Cannot resolve interpolation at " + Origins.where(e.origin()) + ": "
                    + Origins.bareMessage(e) + ". Config files: " + sources.files(), e);
        } catch (ConfigException e) {
            throw new SpotlightConfigError("Cannot resolve the composed config: " + e.getMessage()
                    + ". Config files: " + sources.files(), e);
        }
    }
}
