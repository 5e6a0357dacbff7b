package io.spotlight.trainer.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The config a run was started with, read back from its directory ({@value ConfigRenderer#CONFIG_FILE},
 * and the overrides and group choices of {@value ConfigRenderer#OVERRIDES_FILE} when present), for
 * {@code ./spotlight train resume=RUN_DIR}. It is the resolved config, so nothing is composed again:
 * later edits of the config files do not change a resumed run.
 */
public final class SavedConfig {
    private SavedConfig() {}

    /** @throws SpotlightConfigError naming the directory or file that is missing or unreadable */
    public static ComposedConfig load(Path runDir) {
        if (!Files.isDirectory(runDir)) {
            throw new SpotlightConfigError("run directory " + runDir + " does not exist");
        }
        Path file = runDir.resolve(ConfigRenderer.CONFIG_FILE);
        if (!Files.isRegularFile(file)) {
            throw new SpotlightConfigError(runDir + " has no " + ConfigRenderer.CONFIG_FILE
                    + ": resume= takes a run directory written by ./spotlight train");
        }
        Config config = parse(file);
        List<String> overrides = List.of();
        Map<String, String> choices = new LinkedHashMap<>();
        Path recorded = runDir.resolve(ConfigRenderer.OVERRIDES_FILE);
        if (Files.isRegularFile(recorded)) {
            Config r = parse(recorded);
            if (r.hasPath("overrides")) {
                overrides = r.getStringList("overrides");
            }
            if (r.hasPath("choices")) {
                r.getConfig("choices").root().unwrapped().forEach((k, v) -> choices.put(k, String.valueOf(v)));
            }
        }
        return new ComposedConfig(config, overrides, List.of(file), choices, SearchPath.of(List.of()));
    }

    private static Config parse(Path file) {
        try {
            return ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false)).resolve();
        } catch (ConfigException e) {
            throw new SpotlightConfigError("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
