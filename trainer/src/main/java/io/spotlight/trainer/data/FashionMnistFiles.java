package io.spotlight.trainer.data;

import ai.djl.training.dataset.Dataset.Usage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Where the Fashion-MNIST IDX files are: by default the directory that Debian's {@code
 * dataset-fashion-mnist} package installs, otherwise the directory named by the config key {@value
 * #CONFIG_KEY} (or the system property {@value #DIRECTORY_PROPERTY}).
 *
 * <p>Each file may be gzip-compressed ({@code train-images-idx3-ubyte.gz}, as Debian ships them) or
 * plain ({@code train-images-idx3-ubyte}); the compressed name wins when both exist.
 *
 * @param directory the directory holding the four IDX files
 */
public record FashionMnistFiles(Path directory) {

    /** Where {@code apt-get install dataset-fashion-mnist} puts the files. */
    public static final Path DEBIAN_DIRECTORY = Paths.get("/usr/share/datasets/fashion-mnist");

    /** The config key that points the data sets at another directory. */
    public static final String CONFIG_KEY = "dataset.dir";

    /** The system property read by {@link #fromEnvironment()}. */
    public static final String DIRECTORY_PROPERTY = "spotlight.fmnist.dir";

    /** The IDX files of one split. */
    public record SplitFiles(Path images, Path labels) {}

    /**
     * @param directory the directory holding the IDX files; made absolute
     */
    public FashionMnistFiles {
        directory = directory.toAbsolutePath().normalize();
    }

    /** @return the files in the directory Debian's package installs */
    public static FashionMnistFiles debian() {
        return new FashionMnistFiles(DEBIAN_DIRECTORY);
    }

    /**
     * @return the directory named by the system property {@value #DIRECTORY_PROPERTY} if set, else
     *     {@link #debian()}
     */
    public static FashionMnistFiles fromEnvironment() {
        String dir = System.getProperty(DIRECTORY_PROPERTY);
        return dir == null || dir.isBlank() ? debian() : new FashionMnistFiles(Paths.get(dir));
    }

    /**
     * The two files of a split, which must exist.
     *
     * @param usage {@code TRAIN} or {@code TEST}
     * @return the image and label files
     * @throws DatasetFileException naming the first missing file and how to install it
     */
    public SplitFiles require(Usage usage) throws DatasetFileException {
        String prefix = prefix(usage);
        return new SplitFiles(
                existing(prefix + "-images-idx3-ubyte"), existing(prefix + "-labels-idx1-ubyte"));
    }

    private Path existing(String baseName) throws DatasetFileException {
        Path gz = directory.resolve(baseName + ".gz");
        if (Files.isRegularFile(gz)) {
            return gz;
        }
        Path plain = directory.resolve(baseName);
        if (Files.isRegularFile(plain)) {
            return plain;
        }
        throw new DatasetFileException(
                gz,
                "Fashion-MNIST file not found. Install it with `sudo apt-get install"
                        + " dataset-fashion-mnist`, or point "
                        + CONFIG_KEY
                        + " (system property "
                        + DIRECTORY_PROPERTY
                        + ") at a directory holding "
                        + baseName
                        + "[.gz].");
    }

    private static String prefix(Usage usage) {
        switch (usage) {
            case TRAIN:
                return "train";
            case TEST:
                return "t10k";
            default:
                throw new IllegalArgumentException(
                        "Fashion-MNIST has only TRAIN and TEST splits, not " + usage);
        }
    }
}
