package io.spotlight.trainer.catalogue;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.spotlight.trainer.config.ComposedConfig;
import io.spotlight.trainer.config.ConfigComposer;
import io.spotlight.trainer.config.ConfigRenderer;
import io.spotlight.trainer.config.SearchPath;
import io.spotlight.trainer.optim.Checkpoint;
import io.spotlight.trainer.run.GuidedTraining;
import io.spotlight.trainer.run.RunLauncher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Results a user already has when the bad input arrives: a real finished run (config, metrics,
 * snapshots, a checkpoint, the model, the summary), trained once per test JVM and copied into
 * each test's outputs folder. {@link Snapshot#assertUnchanged} then checks it byte for byte.
 */
final class Earlier {
    /** Where the copy goes under an outputs root: an older day's run. */
    static final String RUN = "2020-01-01/00-00-00";
    private static Path trained;

    private Earlier() {}

    /** The repository's primary config with small, quiet settings and tracking off. */
    static ComposedConfig compose(String... overrides) {
        Path primary = Cli.REPO.resolve("configs/train.conf");
        List<String> all = new java.util.ArrayList<>(List.of("tracking=off", "log.progress=false", "snapshot.every=0",
                "eval.cam_samples=50", "dataset.train_size=128", "dataset.test_size=100"));
        all.addAll(List.of(overrides));
        return new ConfigComposer(SearchPath.forPrimary(primary, Cli.REPO.resolve("configs"))).compose(primary, all);
    }

    private static synchronized Path trained() throws Exception {
        if (trained == null) {
            Path dir = Files.createTempDirectory("spotlight-earlier-run");
            ComposedConfig c = compose("epochs=1", "guidance=hirescam-conv1");
            ConfigRenderer.save(dir, c);
            new GuidedTraining(c, dir, RunLauncher.standardListeners(c, dir, null)).run();
            trained = dir;
        }
        return trained;
    }

    /** Copies the earlier run to {@code outputs/2020-01-01/00-00-00} and records every file's hash. */
    static Snapshot copyInto(Path outputs) throws Exception {
        Path source = trained();
        Path target = outputs.resolve(RUN);
        try (Stream<Path> files = Files.walk(source)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path to = target.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
            }
        }
        return new Snapshot(target, hashes(target));
    }

    /** SHA-256 of every file below {@code dir}, by relative path. */
    static Map<String, String> hashes(Path dir) {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                out.put(dir.relativize(p).toString(), HexFormat.of().formatHex(sha.digest(Files.readAllBytes(p))));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
        return out;
    }

    /** The earlier run as it was copied. */
    record Snapshot(Path dir, Map<String, String> hashes) {
        /** Same files, same bytes, and its checkpoint still verifies (sizes and checksums). */
        void assertUnchanged() throws IOException {
            assertEquals(hashes, Earlier.hashes(dir), "the earlier run's files changed");
            assertEquals(Optional.of(dir.resolve("checkpoints/epoch-0001")), Checkpoint.latest(dir));
            Checkpoint.readState(dir.resolve("checkpoints/epoch-0001"));
        }
    }
}
