package io.spotlight.trainer.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Ordered list of folders in which config groups are looked up: option {@code model=small-cnn}
 * is the first existing {@code <dir>/model/small-cnn.conf}, trying the folders in order.
 *
 * <p>The usual search path is {@link #forPrimary}: the primary config's own folder first (so an
 * experiment can bring its own group options), then the repository's {@code configs/}.
 */
public final class SearchPath {
    static final String OPTION_EXTENSION = ".conf";

    private final List<Path> dirs;

    private SearchPath(List<Path> dirs) {
        this.dirs = List.copyOf(dirs);
    }

    /** Search path with exactly these folders, in this order (duplicates dropped). */
    public static SearchPath of(List<Path> dirs) {
        LinkedHashSet<Path> unique = new LinkedHashSet<>();
        for (Path dir : dirs) {
            unique.add(dir.toAbsolutePath().normalize());
        }
        return new SearchPath(new ArrayList<>(unique));
    }

    public static SearchPath of(Path... dirs) {
        return of(List.of(dirs));
    }

    /** The primary file's folder, then the repository's config folder. */
    public static SearchPath forPrimary(Path primaryFile, Path repoConfigDir) {
        Path parent = primaryFile.toAbsolutePath().normalize().getParent();
        return of(parent, repoConfigDir);
    }

    public List<Path> dirs() {
        return dirs;
    }

    /** The file of {@code group=option}, from the first folder that has it. */
    public Optional<Path> findOption(String group, String option) {
        for (Path dir : dirs) {
            Path file = dir.resolve(group).resolve(option + OPTION_EXTENSION);
            if (Files.isRegularFile(file)) {
                return Optional.of(file);
            }
        }
        return Optional.empty();
    }

    /** True when some folder on the path has a sub-folder named {@code group}. */
    public boolean hasGroup(String group) {
        return dirs.stream().anyMatch(dir -> Files.isDirectory(dir.resolve(group)));
    }

    /** Options of a group: names of its {@code .conf} files across all folders, sorted. */
    public SortedSet<String> options(String group) {
        SortedSet<String> options = new TreeSet<>();
        for (Path dir : dirs) {
            for (Path file : list(dir.resolve(group))) {
                String name = file.getFileName().toString();
                if (Files.isRegularFile(file) && name.endsWith(OPTION_EXTENSION)) {
                    options.add(name.substring(0, name.length() - OPTION_EXTENSION.length()));
                }
            }
        }
        return options;
    }

    /** Groups found on the path: every sub-folder name, sorted. */
    public SortedSet<String> groups() {
        SortedSet<String> groups = new TreeSet<>();
        for (Path dir : dirs) {
            for (Path child : list(dir)) {
                if (Files.isDirectory(child)) {
                    groups.add(child.getFileName().toString());
                }
            }
        }
        return groups;
    }

    private static List<Path> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Collections.emptyList();
        }
        try (Stream<Path> children = Files.list(dir)) {
            return children.collect(Collectors.toList());
        } catch (IOException e) {
            throw new SpotlightConfigError("Cannot list config folder " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return dirs.toString();
    }
}
