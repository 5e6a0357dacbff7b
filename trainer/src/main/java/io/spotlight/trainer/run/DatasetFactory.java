package io.spotlight.trainer.run;

import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Dataset.Usage;
import ai.djl.training.dataset.RandomAccessDataset;
import io.spotlight.trainer.config.Cfg;
import io.spotlight.trainer.data.AbstractGuidedDataset;
import io.spotlight.trainer.data.DecoyFashionMnist;
import io.spotlight.trainer.data.DecoyOptions;
import io.spotlight.trainer.data.FashionMnistArrays;
import io.spotlight.trainer.data.FashionMnistBasedDataset;
import io.spotlight.trainer.data.FashionMnistDataset;
import io.spotlight.trainer.data.FashionMnistFiles;
import io.spotlight.trainer.data.Head;
import io.spotlight.trainer.data.ShortcutFashionMnist;
import io.spotlight.trainer.data.ShortcutKinds;
import io.spotlight.trainer.data.Subset;
import io.spotlight.trainer.data.TwoItemFashionMnist;
import io.spotlight.trainer.data.folder.FileDatasetConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Builds the training set and the named test sets of the {@code dataset} config group. */
public final class DatasetFactory {
    /** The test set every comparison reports first: decoys randomised where the dataset has them. */
    public static final String MAIN_TEST = "test";
    /** Decoys that encode the label, as at training time. */
    public static final String LABEL_DECOY_TEST = "label_decoy_test";

    private DatasetFactory() {}

    /** A training set and named test sets, all with the same heads and image shape. */
    public record Datasets(AbstractGuidedDataset train, Map<String, AbstractGuidedDataset> tests) {
        public List<Head> heads() {
            return train.heads();
        }

        public Shape imageShape() {
            return train.imageShape();
        }
    }

    public static Datasets build(Cfg dataset, int batchSize, int evalBatchSize) {
        if (FileDatasetConfig.NAMES.contains(dataset.getString("name"))) {
            return userFiles(dataset, batchSize, evalBatchSize);
        }
        String name = dataset.getStringIn("name", KNOWN);
        FashionMnistFiles files = new FashionMnistFiles(Path.of(dataset.getString("dir")));
        long seed = dataset.raw().getLong("seed");
        Subset train = subset(dataset.getInt("train_size", 0, 60000));
        Subset test = subset(dataset.getInt("test_size", 0, 10000));
        Map<String, AbstractGuidedDataset> tests = new LinkedHashMap<>();
        if (name.equals(FashionMnistDataset.NAME)) {
            AbstractGuidedDataset tr = FashionMnistDataset.builder().optFiles(files).optUsage(Usage.TRAIN)
                    .optSubset(train).optSeed(seed).setSampling(batchSize, true).build();
            tests.put(MAIN_TEST, FashionMnistDataset.builder().optFiles(files).optUsage(Usage.TEST)
                    .optSubset(test).optSeed(seed).setSampling(evalBatchSize, false).build());
            return new Datasets(tr, tests);
        }
        if (name.equals(TwoItemFashionMnist.NAME)) {
            return twoItems(dataset, files, seed, train, test, batchSize, evalBatchSize);
        }
        if (ShortcutKinds.get(name) != null) {
            return shortcut(dataset, files, seed, train, test, batchSize, evalBatchSize);
        }
        DecoyOptions decoy = new DecoyOptions(
                dataset.getInt("patch", 1, 14),
                DecoyOptions.ShadeRule.parse(dataset.getString("train_shade")),
                DecoyOptions.PatchPosition.parse(dataset.getString("position")));
        DecoyFashionMnist.MaskMode mask = DecoyFashionMnist.MaskMode.parse(dataset.getString("mask"));
        RandomAccessDataset tr = DecoyFashionMnist.builder().optFiles(files).optUsage(Usage.TRAIN)
                .optSubset(train).optSeed(seed).optDecoy(decoy).optMaskMode(mask)
                .setSampling(batchSize, true).build();
        tests.put(MAIN_TEST, DecoyFashionMnist.builder().optFiles(files).optUsage(Usage.TEST).optSubset(test)
                .optSeed(seed).optDecoy(decoy.withShade(DecoyOptions.ShadeRule.RANDOM)).optMaskMode(mask)
                .setSampling(evalBatchSize, false).build());
        tests.put(LABEL_DECOY_TEST, DecoyFashionMnist.builder().optFiles(files).optUsage(Usage.TEST).optSubset(test)
                .optSeed(seed).optDecoy(decoy.withShade(DecoyOptions.ShadeRule.LABEL)).optMaskMode(mask)
                .setSampling(evalBatchSize, false).build());
        return new Datasets((AbstractGuidedDataset) tr, tests);
    }

    /**
     * A shortcut kind of the suite: the training set with the shortcut coding {@code train_code},
     * the main test set with it randomised and the label-coded test set.
     */
    private static Datasets shortcut(Cfg dataset, FashionMnistFiles files, long seed, Subset train, Subset test,
            int batchSize, int evalBatchSize) {
        ShortcutKinds.Kind kind = ShortcutKinds.get(dataset.getString("name"));
        ShortcutFashionMnist.Code code = ShortcutFashionMnist.Code.parse(dataset.getStringIn("train_code", Set.of("label", "random", "none")));
        java.util.function.BiFunction<Usage, ShortcutFashionMnist.Code, ShortcutFashionMnist.Builder> builder = (usage, c) -> {
            ShortcutFashionMnist.Builder b = new ShortcutFashionMnist.Builder().optFiles(files).optUsage(usage)
                    .optSubset(usage == Usage.TRAIN ? train : test).optSeed(seed).optCode(c);
            for (String option : kind.options()) {
                b.option(option, dataset.getInt(option, 1, 1024));
            }
            return b;
        };
        Map<String, AbstractGuidedDataset> tests = new LinkedHashMap<>();
        tests.put(MAIN_TEST, kind.make().apply(builder.apply(Usage.TEST, ShortcutFashionMnist.Code.RANDOM).setSampling(evalBatchSize, false)));
        tests.put(LABEL_DECOY_TEST, kind.make().apply(builder.apply(Usage.TEST, ShortcutFashionMnist.Code.LABEL).setSampling(evalBatchSize, false)));
        return new Datasets(kind.make().apply(builder.apply(Usage.TRAIN, code).setSampling(batchSize, true)), tests);
    }

    /** Users' own images: a class-folder tree or a CSV manifest (package data.folder). */
    private static Datasets userFiles(Cfg dataset, int batchSize, int evalBatchSize) {
        FileDatasetConfig.TrainTest built = FileDatasetConfig.build(dataset, batchSize, evalBatchSize);
        return new Datasets(built.train(), Map.of(MAIN_TEST, built.test()));
    }

    /** Two items side by side, one head each; decoys per head if {@code decoys = true}. */
    private static Datasets twoItems(Cfg dataset, FashionMnistFiles files, long seed, Subset train, Subset test,
            int batchSize, int evalBatchSize) {
        TwoItemFashionMnist.RegionMode region = TwoItemFashionMnist.RegionMode.parse(dataset.getString("region"));
        DecoyOptions decoy = dataset.getBoolean("decoys")
                ? new DecoyOptions(dataset.getInt("patch", 1, 14),
                        DecoyOptions.ShadeRule.parse(dataset.getString("train_shade")),
                        DecoyOptions.PatchPosition.parse(dataset.getString("position")))
                : null;
        Map<String, AbstractGuidedDataset> tests = new LinkedHashMap<>();
        TwoItemFashionMnist.Builder tr = TwoItemFashionMnist.builder().optFiles(files).optUsage(Usage.TRAIN)
                .optSubset(train).optSeed(seed).optRegionMode(region);
        TwoItemFashionMnist.Builder te = TwoItemFashionMnist.builder().optFiles(files).optUsage(Usage.TEST)
                .optSubset(test).optSeed(seed).optRegionMode(region);
        if (decoy != null) {
            tr.optDecoys(decoy);
            te.optDecoys(decoy.withShade(DecoyOptions.ShadeRule.RANDOM));
            tests.put(LABEL_DECOY_TEST, TwoItemFashionMnist.builder().optFiles(files).optUsage(Usage.TEST)
                    .optSubset(test).optSeed(seed).optRegionMode(region)
                    .optDecoys(decoy.withShade(DecoyOptions.ShadeRule.LABEL)).setSampling(evalBatchSize, false).build());
        }
        tests.put(MAIN_TEST, te.setSampling(evalBatchSize, false).build());
        return new Datasets(tr.setSampling(batchSize, true).build(), reorder(tests));
    }

    /** The main test set first. */
    private static Map<String, AbstractGuidedDataset> reorder(Map<String, AbstractGuidedDataset> tests) {
        Map<String, AbstractGuidedDataset> ordered = new LinkedHashMap<>();
        ordered.put(MAIN_TEST, tests.get(MAIN_TEST));
        ordered.putAll(tests);
        return ordered;
    }

    /**
     * The heads of the {@code dataset} config's data set, without reading any data: what a saved
     * model needs to be rebuilt (e.g. by {@code ./spotlight explain}).
     */
    public static List<Head> heads(Cfg dataset) {
        if (FileDatasetConfig.NAMES.contains(dataset.getString("name"))) {
            return FileDatasetConfig.heads(dataset);
        }
        String name = dataset.getStringIn("name", KNOWN);
        return name.equals(TwoItemFashionMnist.NAME)
                ? List.of(TwoItemFashionMnist.LEFT, TwoItemFashionMnist.RIGHT)
                : List.of(FashionMnistBasedDataset.LABEL_HEAD);
    }

    /** The image shape C×H×W of the {@code dataset} config's data set, without reading any data. */
    public static Shape imageShape(Cfg dataset) {
        if (FileDatasetConfig.NAMES.contains(dataset.getString("name"))) {
            return FileDatasetConfig.imageShape(dataset);
        }
        String name = dataset.getStringIn("name", KNOWN);
        if (ShortcutKinds.get(name) != null) {
            return shortcut(dataset, new FashionMnistFiles(Path.of(dataset.getString("dir"))), 0, Subset.all(), Subset.all(), 1, 1)
                    .imageShape(); // known from the settings, no data is read
        }
        int side = FashionMnistArrays.SIDE;
        return name.equals(TwoItemFashionMnist.NAME) ? new Shape(1, side, 2 * side) : new Shape(1, side, side);
    }

    /** Data sets whose heads and image shape {@link #heads} and {@link #imageShape} know. */
    private static final Set<String> KNOWN = known();

    private static Set<String> known() {
        Set<String> names = new java.util.TreeSet<>(Set.of(FashionMnistDataset.NAME, DecoyFashionMnist.NAME, TwoItemFashionMnist.NAME));
        names.addAll(ShortcutKinds.names());
        return Set.copyOf(names);
    }

    private static Subset subset(int size) {
        return size == 0 ? Subset.all() : Subset.random(size);
    }
}
