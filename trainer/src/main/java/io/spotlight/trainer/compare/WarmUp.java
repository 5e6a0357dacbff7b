package io.spotlight.trainer.compare;

import io.spotlight.trainer.config.ComposedConfig;
import io.spotlight.trainer.run.GuidedTraining;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * A few steps of some variants in a throwaway directory before the timed ones, so that the first
 * variant's wall time does not include loading the data set, the native library and the JIT's
 * warm-up: wall-time ratios then compare training, not start-up.
 */
public final class WarmUp {
    private WarmUp() {}

    /**
     * @param variants each composes its variant's config with the given extra overrides
     */
    public static void run(List<Function<List<String>, ComposedConfig>> variants) throws Exception {
        Path tmp = Files.createTempDirectory("spotlight-warmup");
        try {
            int i = 0;
            for (Function<List<String>, ComposedConfig> variant : variants) {
                List<String> small = new ArrayList<>(List.of("epochs=1", "eval.cam_samples=100", "checkpoint.enabled=false",
                        "snapshot.every=0", "log.progress=false"));
                // only the Fashion-MNIST data sets have size keys; a folder or manifest data set has none
                // (the override would be an unknown key), so its warm-up is one epoch of the whole set
                ComposedConfig plain = variant.apply(List.of());
                for (String size : List.of("dataset.train_size=1280", "dataset.test_size=500")) {
                    if (plain.cfg().has(size.substring(0, size.indexOf('=')))) {
                        small.add(size);
                    }
                }
                Path dir = Files.createDirectories(tmp.resolve("variant-" + i++));
                new GuidedTraining(variant.apply(small), dir, List.of()).run();
            }
        } finally {
            try (var files = Files.walk(tmp)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
