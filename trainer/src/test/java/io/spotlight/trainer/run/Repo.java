package io.spotlight.trainer.run;

import io.spotlight.trainer.config.ComposedConfig;
import io.spotlight.trainer.config.ConfigComposer;
import io.spotlight.trainer.config.SearchPath;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The repository's own configs, as tests compose them (tests run in trainer/). */
final class Repo {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path TRAIN = ROOT.resolve("configs/train.conf");
    static final Path DECOY = ROOT.resolve("experiments/decoy-fmnist/experiment.conf");

    /** Small, quiet settings for tests. */
    static final List<String> SMALL = List.of("log.progress=false", "snapshot.every=0", "eval.cam_samples=200", "tracking=off");

    private Repo() {}

    static ConfigComposer composer(Path primary) {
        return new ConfigComposer(SearchPath.forPrimary(primary, ROOT.resolve("configs")));
    }

    static ComposedConfig compose(Path primary, String... overrides) {
        List<String> all = new ArrayList<>(SMALL);
        all.addAll(List.of(overrides));
        return composer(primary).compose(primary, all);
    }
}
