package io.spotlight.trainer.view;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** Copies of a real run's files, for tests that add, cut or remove some of them. */
final class RunCopies {
    private RunCopies() {}

    /** Copies the files of {@code run} that {@code keep} accepts (relative paths) into {@code to}. */
    static Path copy(Path run, Path to, Predicate<String> keep) {
        try (Stream<Path> files = Files.walk(run)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                String rel = run.relativize(f).toString();
                if (keep.test(rel)) {
                    Path target = to.resolve(rel);
                    Files.createDirectories(target.getParent());
                    Files.copy(f, target);
                }
            }
            return to;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The run's own files a viewer reads: config, metrics, summary and snapshots (no model or checkpoints). */
    static Path copy(Path run, Path to) {
        return copy(run, to, rel -> !rel.startsWith("checkpoints") && !rel.startsWith("model"));
    }
}
