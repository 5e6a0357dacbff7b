package io.spotlight.trainer.data.folder;

import ai.djl.ndarray.types.Shape;
import io.spotlight.trainer.config.Cfg;
import io.spotlight.trainer.data.AbstractGuidedDataset;
import io.spotlight.trainer.data.Head;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Builds {@value FolderDataset#NAME} and {@value ManifestDataset#NAME} data sets from the {@code
 * dataset} config group (configs/dataset/folder.conf and manifest.conf document the keys). The
 * test set is {@code test_root}/{@code test_manifest} if set, else the held-out {@code 1 -
 * train_split} of the same listing; it is never augmented and gets the training set's classes.
 */
public final class FileDatasetConfig {
    /** The names this class builds. */
    public static final Set<String> NAMES = Set.of(FolderDataset.NAME, ManifestDataset.NAME);

    private FileDatasetConfig() {}

    /**
     * @param train the training set
     * @param test the test set
     */
    public record TrainTest(AbstractGuidedDataset train, AbstractGuidedDataset test) {}

    /**
     * @param dataset the {@code dataset} config
     * @param batchSize training batch size
     * @param evalBatchSize test batch size
     * @return the two data sets (files are read on {@code prepare})
     */
    public static TrainTest build(Cfg dataset, int batchSize, int evalBatchSize) {
        String name = dataset.getStringIn("name", NAMES);
        boolean folder = name.equals(FolderDataset.NAME);
        String testKey = folder ? "test_root" : "test_manifest";
        Path source = Path.of(dataset.getString(folder ? "root" : "manifest"));
        String testSource = dataset.getString(testKey);
        double split = dataset.getDouble("train_split", 0, 1);
        if (testSource.isEmpty() && !(split > 0 && split < 1)) {
            throw new IllegalArgumentException("dataset.train_split must be in (0, 1) when dataset."
                    + testKey + " is empty, got " + split);
        }
        Augment augment = new Augment(dataset.getBoolean("augment.flip"),
                dataset.getInt("augment.crop_padding", 0, 1 << 12));
        if (folder) {
            FolderDataset tr = common(FolderDataset.builder().optRoot(source), dataset, testSource, split)
                    .optHeadName(dataset.getString("head")).optAugment(augment)
                    .setSampling(batchSize, true).build();
            FolderDataset.Builder te = FolderDataset.builder().optHeadName(dataset.getString("head"))
                    .optClasses(tr.heads().get(0).classNames())
                    .optRoot(testSource.isEmpty() ? source : Path.of(testSource));
            common(te, dataset, testSource, split);
            if (testSource.isEmpty()) {
                te.optSplit(FileDataset.Part.TEST, 1 - split); // the part the training set left out
            }
            return new TrainTest(tr, te.setSampling(evalBatchSize, false).build());
        }
        ManifestDataset.Builder trb = ManifestDataset.builder().optManifest(source);
        if (dataset.has("classes")) {
            for (String head : dataset.raw().getConfig("classes").root().keySet()) {
                trb.optClasses(head, dataset.raw().getStringList("classes." + head));
            }
        }
        ManifestDataset tr = common(trb, dataset, testSource, split).optAugment(augment)
                .setSampling(batchSize, true).build();
        ManifestDataset.Builder te = ManifestDataset.builder()
                .optManifest(testSource.isEmpty() ? source : Path.of(testSource));
        for (Head head : tr.heads()) {
            te.optClasses(head.name(), head.classNames());
        }
        common(te, dataset, testSource, split);
        if (testSource.isEmpty()) {
            te.optSplit(FileDataset.Part.TEST, 1 - split); // the part the training set left out
        }
        return new TrainTest(tr, te.setSampling(evalBatchSize, false).build());
    }

    /**
     * The heads of a {@value FolderDataset#NAME} or {@value ManifestDataset#NAME} config without
     * decoding any image (the class folders or the manifest are read): what a saved model needs to
     * be rebuilt, e.g. by {@code ./spotlight explain}.
     *
     * @param dataset the {@code dataset} config
     * @return the heads, as the training set has them
     */
    public static List<Head> heads(Cfg dataset) {
        return build(dataset, 1, 1).train().heads();
    }

    /**
     * @param dataset the {@code dataset} config
     * @return its {@code image_shape} as {@code (C, H, W)}
     */
    public static Shape imageShape(Cfg dataset) {
        List<Integer> dims = dataset.raw().getIntList("image_shape");
        return new Shape(dims.stream().mapToLong(Integer::longValue).toArray());
    }

    /** Image shape, resize, seed, and the training part of the split when there is no test source. */
    private static <T extends FileDataset.BaseBuilder<T>> T common(
            T builder, Cfg dataset, String testSource, double split) {
        List<Integer> dims = dataset.raw().getIntList("image_shape");
        if (dims.size() != 3) {
            throw new IllegalArgumentException("dataset.image_shape must be [C, H, W], got " + dims);
        }
        builder.optImageShape(new Shape(dims.get(0), dims.get(1), dims.get(2)))
                .optResize(dataset.getBoolean("resize"))
                .optSeed(dataset.raw().getLong("seed"));
        if (testSource.isEmpty()) {
            builder.optSplit(FileDataset.Part.TRAIN, 1 - split);
        }
        return builder;
    }
}
