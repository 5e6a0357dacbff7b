package io.spotlight.trainer.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * Creates run output directories named like Hydra's, under a configurable root:
 * {@code outputs/YYYY-MM-DD/HH-MM-SS} for a single run, {@code multirun/YYYY-MM-DD/HH-MM-SS} for a
 * sweep with one {@code <i>_<jobname>} folder per job. Time is the clock's local time.
 *
 * <p>A non-null {@value #RUN_DIR_KEY} in the config wins: it is the run directory of a single run
 * and the sweep directory of a multirun (relative paths are taken from the root). A directory that
 * already exists is never reused: {@code -1}, {@code -2}, ... is appended until creation succeeds,
 * and creation is atomic, so two processes starting in the same second get different directories.
 */
public final class RunDirectories {
    public static final String RUN_DIR_KEY = "run.dir";

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH-mm-ss");

    private final Path root;
    private final Clock clock;

    public RunDirectories(Path root, Clock clock) {
        this.root = root;
        this.clock = clock;
    }

    /** Root {@code root}, system clock and time zone. */
    public RunDirectories(Path root) {
        this(root, Clock.systemDefaultZone());
    }

    /** Creates the directory of a single run. */
    public Path createRunDir(Config config) {
        return createUnique(explicitDir(config).orElse(timestamped("outputs")));
    }

    /** Creates the directory that holds all jobs of one sweep. */
    public Path createSweepDir(Config config) {
        return createUnique(explicitDir(config).orElse(timestamped("multirun")));
    }

    /** Creates {@code <sweepDir>/<index>_<name>} for one job. */
    public Path createJobDir(Path sweepDir, SweepJob job) {
        return createUnique(sweepDir.resolve(job.dirName()));
    }

    /** Creates {@code wanted}, or {@code wanted-1}, {@code wanted-2}, ... if it exists. */
    public static Path createUnique(Path wanted) {
        try {
            if (wanted.getParent() != null) {
                Files.createDirectories(wanted.getParent());
            }
            for (int suffix = 0; ; suffix++) {
                Path candidate = suffix == 0 ? wanted : wanted.resolveSibling(wanted.getFileName() + "-" + suffix);
                try {
                    return Files.createDirectory(candidate);
                } catch (FileAlreadyExistsException taken) {
                    // try the next suffix
                }
            }
        } catch (IOException e) {
            throw new SpotlightConfigError("Cannot create run directory " + wanted + ": " + reason(e)
                    + "; choose another place with run.dir=PATH", e);
        }
    }

    /** The I/O exceptions here carry only a path as their message; say what it means. */
    private static String reason(IOException e) {
        if (e instanceof FileAlreadyExistsException) {
            return e.getMessage() + " exists and is not a directory";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied on " + e.getMessage();
        }
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return f.getReason() + " (" + f.getFile() + ")";
        }
        return e.toString();
    }

    private Optional<Path> explicitDir(Config config) {
        try {
            if (!config.hasPath(RUN_DIR_KEY)) {
                return Optional.empty();
            }
            return Optional.of(root.resolve(config.getString(RUN_DIR_KEY)));
        } catch (ConfigException.WrongType e) {
            throw new SpotlightConfigError("'" + RUN_DIR_KEY + "' must be a path string, but is "
                    + KeyOverrides.describe(config.getValue(RUN_DIR_KEY)) + " (defined at "
                    + Origins.where(config.getValue(RUN_DIR_KEY)) + ")", e);
        }
    }

    private Path timestamped(String kind) {
        LocalDateTime now = LocalDateTime.now(clock);
        return root.resolve(kind).resolve(DAY.format(now)).resolve(TIME.format(now));
    }
}
