package io.spotlight.trainer.data.folder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import io.spotlight.trainer.data.DatasetFileException;
import io.spotlight.trainer.data.GuidedBatch;
import io.spotlight.trainer.data.GuidedSample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderDatasetTest {
    @TempDir
    Path root;

    private FolderDataset.Builder builder(int h, int w) {
        return FolderDataset.builder().optRoot(root).optImageShape(new Shape(1, h, w)).setSampling(2, false);
    }

    @Test
    void classesAndLabelsFromFoldersMasksAndMissingMasks() throws IOException {
        Pngs.grey(root.resolve("dog/b.png"), Pngs.constant(4, 6, 255));
        Pngs.grey(root.resolve("cat/a.png"), Pngs.constant(4, 6, 51));
        Pngs.grey(root.resolve("dog/c.png"), Pngs.constant(4, 6, 0));
        Pngs.grey(root.resolve("masks/dog/b.png"), Pngs.leftHeavy(4, 6));
        FolderDataset data = builder(4, 6).optHeadName("animal").build();
        assertEquals("animal", data.heads().get(0).name());
        assertEquals(List.of("cat", "dog"), data.heads().get(0).classNames(), "sorted, masks/ excluded");
        assertEquals(3, data.size());
        GuidedSample cat = data.sample(0);
        GuidedSample dogB = data.sample(1);
        GuidedSample dogC = data.sample(2);
        assertEquals(0, cat.labels()[0]);
        assertEquals(1, dogB.labels()[0]);
        assertEquals(1, dogC.labels()[0]);
        assertEquals(0.2f, cat.image()[0], 1e-6);
        assertEquals(1f, dogB.image()[5], 1e-6);
        assertTrue(dogB.hasMask()[0]);
        assertFalse(cat.hasMask()[0], "no mask file: hasMask = 0");
        assertFalse(dogC.hasMask()[0]);
        float[] mask = dogB.allowedMasks().get(0);
        assertEquals(1f, mask[0]); // (0, 0): white
        assertEquals(0f, mask[5]); // (5, 0): black
        assertEquals(0f, mask[6 + 2]); // (2, 1): 2 < 6/2 - 1 fails, black
        for (float v : cat.allowedMasks().get(0)) {
            assertEquals(1f, v, "a missing mask is all-allowed");
        }
    }

    @Test
    void imageOfAnotherSizeNamesTheFileAndBothSizes() throws IOException {
        Pngs.grey(root.resolve("a/ok.png"), Pngs.constant(4, 4, 0));
        Path bad = Pngs.grey(root.resolve("b/big.png"), Pngs.constant(5, 7, 0));
        DatasetFileException e = assertThrows(DatasetFileException.class, () -> builder(4, 4).build().prepare(null));
        assertEquals(bad, e.file());
        assertTrue(e.getMessage().contains("big.png") && e.getMessage().contains("7x5")
                && e.getMessage().contains("4x4"), e.getMessage());
    }

    @Test
    void maskOfAnotherSizeNamesTheMask() throws IOException {
        Pngs.grey(root.resolve("a/x.png"), Pngs.constant(4, 4, 0));
        Path mask = Pngs.grey(root.resolve("masks/a/x.png"), Pngs.constant(3, 4, 255));
        DatasetFileException e = assertThrows(DatasetFileException.class, () -> builder(4, 4).build().prepare(null));
        assertEquals(mask, e.file());
        assertTrue(e.getMessage().contains("4x3") && e.getMessage().contains("4x4"), e.getMessage());
    }

    @Test
    void resizeResizesImageAndMaskIdentically() throws IOException {
        Pngs.grey(root.resolve("a/x.png"), Pngs.leftHeavy(8, 8));
        Pngs.grey(root.resolve("masks/a/x.png"), Pngs.leftHeavy(8, 8));
        GuidedSample s = builder(4, 4).optResize(true).build().sample(0);
        float[] mask = s.allowedMasks().get(0);
        for (int i = 0; i < 16; i++) {
            assertEquals(s.image()[i] >= 0.5f ? 1f : 0f, mask[i], "pixel " + i);
        }
        assertEquals(1f, mask[0]);
        assertEquals(0f, mask[3]);
    }

    @Test
    void rgbImagesGiveThreeChannelsAndGreyOneChannel() throws IOException {
        Pngs.rgb(root.resolve("a/x.png"), 2, 2, 0xFF0000);
        GuidedSample rgb = FolderDataset.builder().optRoot(root).optImageShape(new Shape(3, 2, 2))
                .setSampling(1, false).build().sample(0);
        assertArrayEquals(new float[] {1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0}, rgb.image());
        GuidedSample grey = builder(2, 2).build().sample(0);
        assertEquals(0.299f, grey.image()[0], 1e-6);
    }

    @Test
    void flipFlipsImageAndMaskIdentically() throws IOException {
        for (int i = 0; i < 8; i++) {
            Pngs.grey(root.resolve("a/x" + i + ".png"), Pngs.leftHeavy(4, 6));
            Pngs.grey(root.resolve("masks/a/x" + i + ".png"), Pngs.leftHeavy(4, 6));
        }
        FolderDataset plain = builder(4, 6).build();
        FolderDataset flipped = builder(4, 6).optAugment(new Augment(true, 0)).optSeed(3).build();
        Img original = new Img(1, 4, 6, plain.sample(0).image());
        float[] mirrored = original.flipHorizontal().pixels();
        int flips = 0;
        for (int i = 0; i < 8; i++) {
            GuidedSample s = flipped.sample(i);
            boolean isFlipped = java.util.Arrays.equals(s.image(), mirrored);
            assertTrue(isFlipped || java.util.Arrays.equals(s.image(), original.pixels()));
            // The mask equals the image in the files, so it must still equal it after the flip.
            assertArrayEquals(s.image(), s.allowedMasks().get(0), "sample " + i);
            flips += isFlipped ? 1 : 0;
            assertArrayEquals(s.image(), flipped.sample(i).image(), "seeded per sample: same twice");
        }
        assertTrue(flips > 0 && flips < 8, "about half are flipped: " + flips);
    }

    @Test
    void cropWithPaddingMovesImageAndMaskTogether() throws IOException {
        // mask = 1 - image, and padding is 0 in images and 1 in masks: the relation survives a crop.
        for (int i = 0; i < 6; i++) {
            Pngs.grey(root.resolve("a/x" + i + ".png"), Pngs.leftHeavy(6, 6));
            Pngs.grey(root.resolve("masks/a/x" + i + ".png"), Pngs.inverse(Pngs.leftHeavy(6, 6)));
        }
        FolderDataset data = builder(6, 6).optAugment(new Augment(true, 2)).optSeed(1).build();
        Set<String> distinct = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            GuidedSample s = data.sample(i);
            float[] mask = s.allowedMasks().get(0);
            for (int p = 0; p < 36; p++) {
                assertEquals(1f - s.image()[p], mask[p], "sample " + i + " pixel " + p);
            }
            distinct.add(java.util.Arrays.toString(s.image()));
        }
        assertTrue(distinct.size() > 1, "crops differ between samples");
    }

    @Test
    void trainAndTestSplitsAreDisjointAndCoverTheListing() throws IOException {
        for (int i = 0; i < 10; i++) {
            Pngs.grey(root.resolve((i % 2 == 0 ? "a" : "b") + "/x" + i + ".png"), Pngs.constant(2, 2, i * 20));
        }
        FolderDataset train = builder(2, 2).optSplit(FileDataset.Part.TRAIN, 0.3).optSeed(5).build();
        FolderDataset test = builder(2, 2).optSplit(FileDataset.Part.TEST, 0.3).optSeed(5).build();
        assertEquals(7, train.size());
        assertEquals(3, test.size());
        Set<Float> seen = new HashSet<>();
        for (int i = 0; i < 7; i++) {
            seen.add(train.sample(i).image()[0]);
        }
        for (int i = 0; i < 3; i++) {
            assertTrue(seen.add(test.sample(i).image()[0]), "test sample also in train");
        }
        assertEquals(10, seen.size());
    }

    @Test
    void aDjlBatchUnpacksThroughBatchLayout() throws Exception {
        for (int i = 0; i < 5; i++) {
            Pngs.grey(root.resolve("c" + (i % 2) + "/x" + i + ".png"), Pngs.leftHeavy(4, 6));
        }
        Pngs.grey(root.resolve("masks/c0/x0.png"), Pngs.leftHeavy(4, 6));
        FolderDataset data = FolderDataset.builder().optRoot(root).optImageShape(new Shape(3, 4, 6))
                .optAugment(new Augment(true, 1)).setSampling(4, false).build();
        try (NDManager manager = NDManager.newBaseManager()) {
            Batch batch = data.getData(manager).iterator().next();
            try (batch) {
                GuidedBatch b = data.layout().unpack(batch);
                assertEquals(new Shape(4, 3, 4, 6), b.images().getShape());
                assertEquals(new Shape(4), b.label("label").getShape());
                assertEquals(DataType.INT32, b.label("label").getDataType());
                assertEquals(new Shape(4, 1, 4, 6), b.allowedMask("label").getShape());
                assertArrayEquals(new int[] {0, 0, 0, 1}, b.label("label").toIntArray());
                assertEquals(1f, b.hasMask("label").toFloatArray()[0]);
                assertEquals(0f, b.hasMask("label").toFloatArray()[1]);
            }
        }
    }

    @Test
    void aTestFolderWithAnUnknownClassIsAnError() throws IOException {
        Files.createDirectories(root.resolve("zebra"));
        Pngs.grey(root.resolve("zebra/x.png"), Pngs.constant(2, 2, 0));
        FolderDataset data = builder(2, 2).optClasses(List.of("cat", "dog")).build();
        DatasetFileException e = assertThrows(DatasetFileException.class, () -> data.prepare(null));
        assertTrue(e.getMessage().contains("zebra"), e.getMessage());
    }
}
