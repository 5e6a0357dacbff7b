package io.spotlight.trainer.config;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Result of {@link ConfigComposer#compose}: the resolved config plus what it was made from.
 *
 * @param config       fully resolved config (groups, primary keys, overrides, interpolations)
 * @param overrides    the overrides exactly as given, in order
 * @param sourceFiles  every file read: primary, its includes, group option files
 * @param groupChoices selected option per group, in defaults-list order (disabled groups left out)
 * @param searchPath   where group options were looked up
 */
public record ComposedConfig(Config config, List<String> overrides, List<Path> sourceFiles,
        Map<String, String> groupChoices, SearchPath searchPath) {

    /** Typed, validated access to {@link #config()}. */
    public Cfg cfg() {
        return new Cfg(config);
    }

    /** The resolved config as HOCON text, as saved in {@code config.conf}. */
    public String render() {
        return ConfigRenderer.render(config);
    }
}
