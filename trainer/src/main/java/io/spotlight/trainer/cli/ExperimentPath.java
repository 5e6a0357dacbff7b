package io.spotlight.trainer.cli;

import io.spotlight.trainer.config.ConfigComposer;
import io.spotlight.trainer.config.SearchPath;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An experiment named on the command line: a folder with {@code experiment.conf} or the config
 * file itself, relative paths taken from the repository root; its composer searches the
 * experiment's folder, then the repository's {@code configs/}.
 *
 * @param primary the experiment's config file
 * @param composer its composer
 */
record ExperimentPath(Path primary, ConfigComposer composer) {
    static ExperimentPath of(Path experiment) {
        Path home = Home.get();
        Path path = experiment.isAbsolute() ? experiment : home.resolve(experiment);
        Path primary = Files.isDirectory(path) ? path.resolve("experiment.conf") : path;
        return new ExperimentPath(primary, new ConfigComposer(SearchPath.forPrimary(primary, home.resolve("configs"))));
    }

    /** The experiment's name: its folder's. */
    String name() {
        return primary.getParent().getFileName().toString();
    }
}
