package io.spotlight.trainer.data.folder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import io.spotlight.trainer.data.DatasetFileException;
import io.spotlight.trainer.data.GuidedBatch;
import io.spotlight.trainer.data.GuidedSample;
import io.spotlight.trainer.data.Head;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestDatasetTest {
    @TempDir
    Path dir;

    @BeforeEach
    void images() throws IOException {
        Pngs.grey(dir.resolve("img/a.png"), Pngs.constant(4, 4, 255));
        Pngs.grey(dir.resolve("img/b.png"), Pngs.constant(4, 4, 0));
        Pngs.grey(dir.resolve("masks/left.png"), Pngs.leftHeavy(4, 4));
        Pngs.grey(dir.resolve("masks/right.png"), Pngs.inverse(Pngs.leftHeavy(4, 4)));
    }

    private Path manifest(String... lines) throws IOException {
        Path file = dir.resolve("manifest.csv");
        Files.write(file, List.of(lines));
        return file;
    }

    private ManifestDataset.Builder builder(Path manifest) {
        return ManifestDataset.builder().optManifest(manifest).optImageShape(new Shape(1, 4, 4)).setSampling(2, false);
    }

    @Test
    void twoHeadsWithLabelsAndMasks() throws Exception {
        Path m = manifest(
                "image,label_left,mask_left,label_right,mask_right",
                "img/a.png,shirt,masks/left.png,bag,masks/right.png",
                "img/b.png,shoe,,shirt,");
        ManifestDataset data = builder(m).build();
        assertEquals(List.of(new Head("left", List.of("shirt", "shoe")), new Head("right", List.of("bag", "shirt"))),
                data.heads());
        GuidedSample a = data.sample(0);
        GuidedSample b = data.sample(1);
        assertEquals(0, a.labels()[0]);
        assertEquals(0, a.labels()[1]);
        assertEquals(1, b.labels()[0]);
        assertEquals(1, b.labels()[1]);
        assertTrue(a.hasMask()[0] && a.hasMask()[1]);
        assertFalse(b.hasMask()[0] || b.hasMask()[1], "empty mask cell: hasMask = 0");
        assertEquals(1f, a.allowedMasks().get(0)[0]);
        assertEquals(0f, a.allowedMasks().get(1)[0]);
        assertEquals(1f, a.image()[0]);
        try (NDManager manager = NDManager.newBaseManager()) {
            Batch batch = data.getData(manager).iterator().next();
            try (batch) {
                GuidedBatch g = data.layout().unpack(batch);
                assertEquals(new Shape(2, 1, 4, 4), g.images().getShape());
                assertEquals(new Shape(2, 1, 4, 4), g.allowedMask("right").getShape());
                assertEquals(new Shape(2), g.hasMask("right").getShape());
            }
        }
    }

    @Test
    void missingImageNamesFileRowAndColumn() throws IOException {
        Path m = manifest("image,label_x", "img/a.png,p", "img/nope.png,q");
        DatasetFileException e = assertThrows(DatasetFileException.class, () -> builder(m).build().prepare(null));
        assertEquals(dir.resolve("img/nope.png"), e.file());
        assertMentions(e, "nope.png", "manifest.csv", "row 2", "column image", "no such file");
    }

    @Test
    void unknownLabelNamesFileRowAndColumn() throws IOException {
        Path m = manifest("image,label_x", "img/a.png,p", "img/b.png,zebra");
        DatasetFileException e = assertThrows(DatasetFileException.class,
                () -> builder(m).optClasses("x", List.of("p", "q")).build().prepare(null));
        assertEquals(m, e.file());
        assertMentions(e, "manifest.csv", "row 2", "column label_x", "zebra", "[p, q]");
    }

    @Test
    void maskOfAnotherSizeNamesFileRowAndColumn() throws IOException {
        Pngs.grey(dir.resolve("masks/small.png"), Pngs.constant(2, 4, 255));
        Path m = manifest("image,label_x,mask_x", "img/a.png,p,masks/small.png");
        DatasetFileException e = assertThrows(DatasetFileException.class, () -> builder(m).build().prepare(null));
        assertEquals(dir.resolve("masks/small.png"), e.file());
        assertMentions(e, "manifest.csv", "row 1", "column mask_x", "4x2", "4x4");
    }

    @Test
    void colourMaskNamesFileRowAndColumn() throws IOException {
        Pngs.rgb(dir.resolve("masks/red.png"), 4, 4, 0xFF0000);
        Path m = manifest("image,label_x,mask_x", "img/a.png,p,masks/red.png");
        DatasetFileException e = assertThrows(DatasetFileException.class, () -> builder(m).build().prepare(null));
        assertEquals(dir.resolve("masks/red.png"), e.file());
        assertMentions(e, "manifest.csv", "row 1", "column mask_x", "grey");
    }

    @Test
    void undecodableImageNamesFileRowAndColumn() throws IOException {
        Files.writeString(dir.resolve("img/broken.png"), "not a png");
        Path m = manifest("image,label_x", "img/broken.png,p");
        DatasetFileException e = assertThrows(DatasetFileException.class, () -> builder(m).build().prepare(null));
        assertEquals(dir.resolve("img/broken.png"), e.file());
        assertMentions(e, "manifest.csv", "row 1", "column image", "cannot decode");
    }

    private static void assertMentions(Exception e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "'" + part + "' missing from: " + e.getMessage());
        }
    }
}
