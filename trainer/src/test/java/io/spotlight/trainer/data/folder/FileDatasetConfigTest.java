package io.spotlight.trainer.data.folder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.spotlight.trainer.config.Cfg;
import io.spotlight.trainer.data.AbstractGuidedDataset;
import io.spotlight.trainer.data.Head;
import io.spotlight.trainer.run.DatasetFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The repository's configs/dataset/folder.conf and manifest.conf, through DatasetFactory. */
class FileDatasetConfigTest {
    private static final Path CONFIGS = Path.of("..").toAbsolutePath().normalize().resolve("configs/dataset");

    @TempDir
    Path dir;

    /** The group file mounted under {@code dataset}, with {@code overrides} on top. */
    private static Cfg dataset(String group, String overrides) {
        Config file = ConfigFactory.parseFile(CONFIGS.resolve(group + ".conf").toFile()).atKey("dataset");
        Config all = ConfigFactory.parseString(overrides).atKey("dataset").withFallback(file).resolve();
        return new Cfg(all).at("dataset");
    }

    @Test
    void folderWithATrainSplit() throws IOException {
        for (int i = 0; i < 10; i++) {
            Pngs.grey(dir.resolve((i < 5 ? "a" : "b") + "/x" + i + ".png"), Pngs.constant(32, 32, 10 * i));
        }
        Cfg cfg = dataset("folder", "root = \"" + dir + "\", train_split = 0.6, augment.flip = true, head = shape");
        DatasetFactory.Datasets data = DatasetFactory.build(cfg, 4, 8);
        assertEquals(List.of(new Head("shape", List.of("a", "b"))), data.heads());
        assertEquals(new Shape(1, 32, 32), data.imageShape());
        AbstractGuidedDataset test = data.tests().get(DatasetFactory.MAIN_TEST);
        assertEquals(6, data.train().size());
        assertEquals(4, test.size());
        assertEquals(1, data.tests().size());
    }

    @Test
    void folderWithATestRootGetsTheTrainingClasses() throws IOException {
        Pngs.grey(dir.resolve("train/a/x.png"), Pngs.constant(32, 32, 0));
        Pngs.grey(dir.resolve("train/b/y.png"), Pngs.constant(32, 32, 0));
        Pngs.grey(dir.resolve("test/b/z.png"), Pngs.constant(32, 32, 0)); // no folder a
        Cfg cfg = dataset("folder", "root = \"" + dir.resolve("train") + "\", test_root = \"" + dir.resolve("test") + "\"");
        DatasetFactory.Datasets data = DatasetFactory.build(cfg, 4, 8);
        AbstractGuidedDataset test = data.tests().get(DatasetFactory.MAIN_TEST);
        assertEquals(data.heads(), ((FolderDataset) test).heads());
        assertEquals(2, data.train().size());
        assertEquals(1, test.size());
        assertEquals(1, ((FolderDataset) test).sample(0).labels()[0], "b is class 1 of the training set");
    }

    @Test
    void manifestWithClassesFromConfig() throws IOException {
        Pngs.grey(dir.resolve("a.png"), Pngs.constant(8, 8, 0));
        Path m = dir.resolve("m.csv");
        Files.write(m, List.of("image,label_kind,mask_kind", "a.png,y,", "a.png,x,"));
        Files.write(dir.resolve("t.csv"), List.of("image,label_kind", "a.png,z"));
        Cfg cfg = dataset("manifest", "manifest = \"" + m + "\", test_manifest = \"" + dir.resolve("t.csv")
                + "\", image_shape = [3, 8, 8], classes { kind = [z, y, x] }");
        DatasetFactory.Datasets data = DatasetFactory.build(cfg, 2, 2);
        assertEquals(List.of(new Head("kind", List.of("z", "y", "x"))), data.heads());
        ManifestDataset train = (ManifestDataset) data.train();
        assertEquals(1, train.sample(0).labels()[0]);
        assertEquals(2, train.sample(1).labels()[0]);
        assertFalse(train.sample(0).hasMask()[0]);
        assertEquals(new Shape(3, 8, 8), train.sample(0).imageShape());
        assertTrue(data.tests().get(DatasetFactory.MAIN_TEST).size() == 1);
    }

    @Test
    void headsAndImageShapeWithoutDecoding() throws IOException {
        Files.createDirectories(dir.resolve("b"));
        Files.createDirectories(dir.resolve("a"));
        Files.writeString(dir.resolve("a/broken.png"), "not decoded here");
        Cfg cfg = dataset("folder", "root = \"" + dir + "\", image_shape = [3, 16, 24]");
        assertEquals(List.of(new Head("label", List.of("a", "b"))), FileDatasetConfig.heads(cfg));
        assertEquals(new Shape(3, 16, 24), FileDatasetConfig.imageShape(cfg));
    }

    @Test
    void anEmptyTrainingPartNamesTheRoot() throws IOException {
        Pngs.grey(dir.resolve("a/x.png"), Pngs.constant(32, 32, 0));
        Cfg cfg = dataset("folder", "root = \"" + dir + "\", train_split = 0.4");
        DatasetFactory.Datasets data = DatasetFactory.build(cfg, 4, 8);
        var e = org.junit.jupiter.api.Assertions.assertThrows(
                io.spotlight.trainer.data.DatasetFileException.class, () -> data.train().prepare(null));
        assertEquals(dir, e.file());
        assertTrue(e.getMessage().contains("TRAIN part"), e.getMessage());
    }

    @Test
    void classesForAnUnknownHeadAreAnError() throws IOException {
        Path m = dir.resolve("m.csv");
        Files.write(m, List.of("image,label_kind", "a.png,y"));
        Cfg cfg = dataset("manifest", "manifest = \"" + m + "\", classes { knid = [y] }");
        var e = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> DatasetFactory.build(cfg, 2, 2));
        assertTrue(e.getMessage().contains("knid") && e.getMessage().contains("[kind]"), e.getMessage());
    }
}
