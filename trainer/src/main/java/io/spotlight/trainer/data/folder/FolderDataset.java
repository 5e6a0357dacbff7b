package io.spotlight.trainer.data.folder;

import io.spotlight.trainer.data.DatasetFileException;
import io.spotlight.trainer.data.Head;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * {@value #NAME}: images in one folder per class, {@code ROOT/<class>/<image>.png}, one head whose
 * classes are the sorted folder names (or given). A mask, if any, sits at the same relative path
 * under {@code ROOT/masks/} (white = allowed, black = forbidden); an image without one has
 * {@code hasMask = 0}.
 */
public final class FolderDataset extends FileDataset {
    /** The data set's name in configs. */
    public static final String NAME = "folder";
    /** The folder of masks under the root; never a class. */
    public static final String MASKS = "masks";
    /** Extensions read as images (lower case). */
    static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff");

    private final Path root;
    private final Head head;

    private FolderDataset(Builder builder) {
        super(builder);
        if (builder.root == null) {
            throw new IllegalArgumentException("a folder data set needs a root (optRoot)");
        }
        this.root = builder.root;
        List<String> classes = builder.classes;
        if (classes == null) {
            try {
                classes = classNames(root);
            } catch (IOException e) {
                // heads() must be known before any loading; the message stays the file's own
                throw new UncheckedIOException(e.getMessage(), e);
            }
        }
        this.head = new Head(builder.headName, classes);
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param root a data set root
     * @return its class folders' names, sorted ({@value #MASKS} excluded)
     * @throws IOException if the root is not a folder or has no class folders
     */
    public static List<String> classNames(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new DatasetFileException(root, "not a folder (expected ROOT/<class>/<image>.png)");
        }
        List<String> names;
        try (Stream<Path> children = Files.list(root)) {
            names = children.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(n -> !n.equals(MASKS) && !n.startsWith(".")).sorted().toList();
        }
        if (names.isEmpty()) {
            throw new DatasetFileException(root, "no class folders (expected ROOT/<class>/<image>.png)");
        }
        return names;
    }

    /** {@inheritDoc} */
    @Override
    public List<Head> heads() {
        return List.of(head);
    }

    /** @return the root folder */
    public Path root() {
        return root;
    }

    /** {@inheritDoc} */
    @Override
    protected Path source() {
        return root;
    }

    /** {@inheritDoc} Every image of every class folder, classes in order, files sorted by name. */
    @Override
    protected List<Entry> list() throws IOException {
        List<String> present = classNames(root);
        for (String folder : present) {
            if (!head.classNames().contains(folder)) {
                throw new DatasetFileException(root.resolve(folder), "class folder '" + folder
                        + "' is not one of the classes " + head.classNames());
            }
        }
        List<Entry> entries = new ArrayList<>();
        for (int label = 0; label < head.numClasses(); label++) {
            Path dir = root.resolve(head.classNames().get(label));
            if (!Files.isDirectory(dir)) {
                continue; // a test folder may lack a class
            }
            List<Path> files;
            try (Stream<Path> children = Files.list(dir)) {
                files = children.filter(FolderDataset::isImage).sorted().toList();
            }
            for (Path file : files) {
                Path mask = root.resolve(MASKS).resolve(root.relativize(file));
                List<Path> masks = Arrays.asList(Files.exists(mask) ? mask : null);
                entries.add(new Entry(file, new int[] {label}, masks, "", List.of("mask of " + file)));
            }
        }
        if (entries.isEmpty()) {
            throw new DatasetFileException(root, "no images in the class folders " + head.classNames());
        }
        return entries;
    }

    private static boolean isImage(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return Files.isRegularFile(file) && EXTENSIONS.stream().anyMatch(name::endsWith);
    }

    /** Builds a {@link FolderDataset}. */
    public static final class Builder extends BaseBuilder<Builder> {
        Path root;
        String headName = "label";
        List<String> classes;

        /** {@inheritDoc} */
        @Override
        protected Builder self() {
            return this;
        }

        /**
         * @param root the folder holding one folder per class (and {@value #MASKS})
         * @return this builder
         */
        public Builder optRoot(Path root) {
            this.root = root;
            return this;
        }

        /**
         * @param name the head's name (default {@code label})
         * @return this builder
         */
        public Builder optHeadName(String name) {
            this.headName = name;
            return this;
        }

        /**
         * @param classes the class names, index = label (default: the sorted folder names); a
         *     test set gets its training set's classes so that labels agree
         * @return this builder
         */
        public Builder optClasses(List<String> classes) {
            this.classes = List.copyOf(classes);
            return this;
        }

        /** @return the data set (files are read on {@code prepare}) */
        public FolderDataset build() {
            return new FolderDataset(this);
        }
    }
}
