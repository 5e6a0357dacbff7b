package io.spotlight.trainer.view;

import io.spotlight.trainer.compare.Comparison;
import io.spotlight.trainer.config.ComposedConfig;
import io.spotlight.trainer.config.ConfigComposer;
import io.spotlight.trainer.config.ConfigRenderer;
import io.spotlight.trainer.config.SearchPath;
import io.spotlight.trainer.run.GuidedTraining;
import io.spotlight.trainer.run.RunLauncher;
import io.spotlight.trainer.run.SpotlightListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Real runs for the viewer's tests, trained once per test JVM into a temporary folder: a finished
 * two-head run (two-item Fashion-MNIST, no guidance: the viewer does not care) and a comparison of two variants of the
 * decoy experiment, both on small subsets. A live run is started on demand.
 */
final class ViewerRuns {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path PRIMARY = ROOT.resolve("configs/train.conf");
    /** Small and quiet: 320 images, snapshots at every logged step (1, 5, and the epochs' ends), 3 probe images. */
    private static final List<String> TINY = List.of("tracking=off", "log.progress=false", "log.every=5", "snapshot.every=5",
            "snapshot.samples=3", "eval.cam_samples=50", "dataset.train_size=320", "dataset.test_size=100");
    private static Path base;
    private static Path twoHeads;
    private static Path comparison;

    private ViewerRuns() {}

    /** A finished run with heads {@code left} and {@code right}: snapshots at steps 1, 5 and 10. */
    static synchronized Path twoHeads() throws Exception {
        if (twoHeads == null) {
            twoHeads = train(base().resolve("two-heads"), List.of("dataset=two-item-fmnist", "guidance=none", "epochs=2"));
        }
        return twoHeads;
    }

    /** {@code compare experiments/decoy-fmnist --variants baseline,hirescam-features}, one epoch each. */
    static synchronized Path comparison() throws Exception {
        if (comparison == null) {
            comparison = base().resolve("compare");
            Path experiment = ROOT.resolve("experiments/decoy-fmnist/experiment.conf");
            List<String> overrides = new ArrayList<>(TINY);
            overrides.add("epochs=1");
            Comparison c = new Comparison(new ConfigComposer(SearchPath.forPrimary(experiment, ROOT.resolve("configs"))),
                    experiment, overrides);
            c.run(comparison, List.of("baseline", "hirescam-features"));
        }
        return comparison;
    }

    /**
     * Starts a run in the background that takes a snapshot every 5 steps for {@code epochs} epochs
     * of 5 steps; {@code pace} sleeps after every step so that the run is still training while the
     * page watches it (the training itself is real).
     */
    static CompletableFuture<Void> live(Path dir, int epochs, long paceMs) throws Exception {
        ComposedConfig c = compose(List.of("dataset=decoy-fmnist", "guidance=hirescam-features", "epochs=" + epochs));
        ConfigRenderer.save(dir, c);
        SpotlightListener pace = new SpotlightListener() {
            @Override
            public void onBatch(io.spotlight.trainer.run.RunContext run, long step, int epoch) {
                try {
                    Thread.sleep(paceMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        List<SpotlightListener> listeners = RunLauncher.standardListeners(c, dir, List.of(pace));
        return CompletableFuture.runAsync(() -> {
            try {
                new GuidedTraining(c, dir, listeners).run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static Path train(Path dir, List<String> overrides) throws Exception {
        ComposedConfig c = compose(overrides);
        ConfigRenderer.save(dir, c);
        new GuidedTraining(c, dir, RunLauncher.standardListeners(c, dir, null)).run();
        return dir;
    }

    private static ComposedConfig compose(List<String> overrides) {
        List<String> all = new ArrayList<>(TINY);
        all.addAll(overrides);
        return new ConfigComposer(SearchPath.forPrimary(PRIMARY, ROOT.resolve("configs"))).compose(PRIMARY, all);
    }

    private static Path base() throws Exception {
        if (base == null) {
            base = Files.createTempDirectory("spotlight-viewer-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(base)));
        }
        return base;
    }

    private static void delete(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (Exception ignored) {
            // a temporary folder: the system cleans it up eventually
        }
    }
}
