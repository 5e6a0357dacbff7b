package io.spotlight.trainer.data;

import ai.djl.Application;
import ai.djl.basicdataset.cv.classification.FashionMnist;
import ai.djl.ndarray.NDManager;
import ai.djl.repository.Repository;
import ai.djl.training.dataset.Dataset.Usage;
import ai.djl.training.dataset.Batch;
import ai.djl.util.Utils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Loads Fashion-MNIST through DJL basicdataset's {@link FashionMnist}, offline, and keeps the
 * decoded arrays for the rest of the process.
 *
 * <p>DJL's default repository is remote and unreachable here, so each load writes a throw-away
 * local repository whose {@code metadata.json} points, with absolute {@code file://} URIs, at the
 * IDX files. DJL then copies (and un-gzips) them into its cache directory under a group id derived
 * from the files' paths, sizes and modification times: a changed file gets a fresh copy instead of
 * a stale one.
 */
public final class FashionMnistLoader {
    private static final String ARTIFACT_ID = "fashmnist";
    private static final Map<Key, FashionMnistArrays> CACHE = new ConcurrentHashMap<>();

    private FashionMnistLoader() {}

    private record Key(Path directory, Usage usage) {}

    /**
     * The decoded split, loaded on first use and cached per process.
     *
     * @param files where the IDX files are
     * @param usage {@code TRAIN} (60,000 images) or {@code TEST} (10,000 images)
     * @return the decoded images and labels
     * @throws DatasetFileException if a file is missing, truncated or not an IDX file of the right
     *     kind
     * @throws IOException if DJL fails to read the files
     */
    public static FashionMnistArrays load(FashionMnistFiles files, Usage usage) throws IOException {
        try {
            return CACHE.computeIfAbsent(
                    new Key(files.directory(), usage),
                    key -> {
                        try {
                            return decode(files.require(usage));
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static FashionMnistArrays decode(FashionMnistFiles.SplitFiles split)
            throws IOException {
        IdxFile.Header images = IdxFile.check(split.images(), IdxFile.IMAGES_MAGIC);
        IdxFile.Header labels = IdxFile.check(split.labels(), IdxFile.LABELS_MAGIC);
        int side = FashionMnistArrays.SIDE;
        if (images.dims()[1] != side || images.dims()[2] != side) {
            throw new DatasetFileException(
                    split.images(),
                    "images are " + images.dims()[1] + "×" + images.dims()[2] + ", expected 28×28");
        }
        if (images.count() != labels.count()) {
            throw new DatasetFileException(
                    split.labels(),
                    labels.count()
                            + " labels for "
                            + images.count()
                            + " images in "
                            + split.images());
        }
        Path repositoryDir = Files.createTempDirectory("spotlight-fmnist-repository");
        try (NDManager manager = NDManager.newBaseManager()) {
            String groupId = groupId(split);
            writeMetadata(repositoryDir, groupId, split);
            FashionMnist dataset =
                    FashionMnist.builder()
                            .optRepository(
                                    Repository.newInstance("spotlight-fmnist", repositoryDir))
                            .optGroupId(groupId)
                            .optArtifactId(ARTIFACT_ID)
                            .optUsage(Usage.TRAIN) // the local artifact holds only this split
                            .optManager(manager)
                            .setSampling(1, false)
                            .build();
            dataset.prepare(null);
            // Read the arrays in one slice, without DJL's per-sample ToTensor pipeline.
            float[] pixels;
            float[] labelValues;
            try (Batch all = dataset.getByRange(manager, 0, dataset.size())) {
                pixels = all.getData().head().toFloatArray(); // [N, 28, 28, 1] in 0..255
                labelValues = all.getLabels().head().toFloatArray();
            }
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] /= 255f;
            }
            int[] labelInts = new int[labelValues.length];
            for (int i = 0; i < labelInts.length; i++) {
                labelInts[i] = (int) labelValues[i];
                if (labelInts[i] < 0 || labelInts[i] >= FashionMnistArrays.NUM_CLASSES) {
                    throw new DatasetFileException(
                            split.labels(),
                            "label " + labelInts[i] + " of item " + i + " is not in [0, 10)");
                }
            }
            return new FashionMnistArrays(pixels, labelInts);
        } finally {
            Utils.deleteQuietly(repositoryDir);
        }
    }

    /**
     * Metadata of a one-artifact local repository. The split's files are always declared as
     * {@code train_*}: the artifact holds one split only, so DJL copies nothing it will not read.
     */
    private static void writeMetadata(
            Path repositoryDir, String groupId, FashionMnistFiles.SplitFiles split)
            throws IOException {
        Path dir =
                repositoryDir.resolve(
                        "dataset/"
                                + Application.CV.ANY.getPath()
                                + "/"
                                + groupId.replace('.', '/')
                                + "/"
                                + ARTIFACT_ID);
        Files.createDirectories(dir);
        String json =
                """
                {
                  "metadataVersion": "0.2",
                  "resourceType": "dataset",
                  "application": "%s",
                  "groupId": "%s",
                  "artifactId": "%s",
                  "name": "fashmnist",
                  "artifacts": [
                    {
                      "version": "1.0",
                      "snapshot": false,
                      "name": "fashmnist",
                      "files": {
                        "train_data": {"uri": "%s", "size": %d},
                        "train_labels": {"uri": "%s", "size": %d}
                      }
                    }
                  ]
                }
                """
                        .formatted(
                                Application.CV.ANY.getPath(),
                                groupId,
                                ARTIFACT_ID,
                                split.images().toUri(),
                                Files.size(split.images()),
                                split.labels().toUri(),
                                Files.size(split.labels()));
        Files.writeString(dir.resolve("metadata.json"), json, StandardCharsets.UTF_8);
    }

    /** A group id per set of file versions, so DJL's cache never serves a stale copy. */
    private static String groupId(FashionMnistFiles.SplitFiles split) throws IOException {
        StringBuilder identity = new StringBuilder();
        for (Path file : new Path[] {split.images(), split.labels()}) {
            identity.append(file)
                    .append('|')
                    .append(Files.size(file))
                    .append('|')
                    .append(Files.getLastModifiedTime(file).toMillis())
                    .append('\n');
        }
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-256")
                            .digest(identity.toString().getBytes(StandardCharsets.UTF_8));
            return "io.spotlight.fmnist.v" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("SHA-256 is always available", e);
        }
    }
}
