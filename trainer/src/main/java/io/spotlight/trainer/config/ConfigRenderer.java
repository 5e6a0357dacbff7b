package io.spotlight.trainer.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValueFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes what a run was made from: {@value #CONFIG_FILE} (the resolved config) and
 * {@value #OVERRIDES_FILE} ({@code overrides = [...]} and the group {@code choices}).
 *
 * <p>Rendering is HOCON without comments or origin comments; Typesafe sorts object keys when
 * rendering, so the text is stable for a given config and diffs between runs are meaningful.
 * Both files parse back with {@code ConfigFactory.parseFile}.
 */
public final class ConfigRenderer {
    public static final String CONFIG_FILE = "config.conf";
    public static final String OVERRIDES_FILE = "overrides.conf";

    private static final ConfigRenderOptions HOCON = ConfigRenderOptions.defaults()
            .setOriginComments(false).setComments(false).setJson(false).setFormatted(true);

    private ConfigRenderer() {}

    /** The config as formatted HOCON with sorted keys. */
    public static String render(Config config) {
        return config.root().render(HOCON);
    }

    /** {@code overrides = [...]} and {@code choices { group = option }} as HOCON. */
    public static String renderOverrides(ComposedConfig composed) {
        Config record = ConfigFactory.empty()
                .withValue("overrides", ConfigValueFactory.fromIterable(composed.overrides()))
                .withValue("choices", ConfigValueFactory.fromMap(composed.groupChoices()));
        return render(record);
    }

    /** Writes both files into {@code runDir}, replacing earlier versions of these two files only. */
    public static void save(Path runDir, ComposedConfig composed) {
        try {
            Files.createDirectories(runDir);
            Files.writeString(runDir.resolve(CONFIG_FILE), render(composed.config()), StandardCharsets.UTF_8);
            Files.writeString(runDir.resolve(OVERRIDES_FILE), renderOverrides(composed), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SpotlightConfigError("Cannot save the config into " + runDir + ": " + e.getMessage(), e);
        }
    }
}
