package io.spotlight.trainer.config;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;

/** Paths into {@code src/test/resources/config-fixtures} and one-line compose helpers. */
final class Fixtures {
    private Fixtures() {}

    static Path root() {
        try {
            return Path.of(Fixtures.class.getResource("/config-fixtures").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The repository's {@code configs/} folder of the fixture repo. */
    static Path repoConfigs() {
        return root().resolve("repo/configs");
    }

    static Path train() {
        return repoConfigs().resolve("train.conf");
    }

    static Path experiment() {
        return root().resolve("repo/experiments/decoy-fmnist/experiment.conf");
    }

    static Path file(String relative) {
        return root().resolve(relative);
    }

    /** Composes with the usual search path: the primary's folder, then the fixture repo's configs. */
    static ComposedConfig compose(Path primary, String... overrides) {
        return ConfigComposer.compose(primary, repoConfigs(), List.of(overrides));
    }

    static String composeError(Path primary, String... overrides) {
        return assertThrows(SpotlightConfigError.class, () -> compose(primary, overrides)).getMessage();
    }
}
