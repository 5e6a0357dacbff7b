package io.spotlight.trainer.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotlight.trainer.data.Head;
import io.spotlight.trainer.data.TwoItemFashionMnist;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading input images as grey [0, 1], and labels from file names; no model needed. */
class GreyImagesTest {
    @Test
    void greyPngsKeepTheirRawSamples(@TempDir Path dir) throws Exception {
        BufferedImage g8 = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
        g8.getRaster().setSample(0, 0, 0, 128);
        g8.getRaster().setSample(1, 0, 0, 255);
        float[][] a = GreyImages.read(TinyRun.writePng(g8, dir.resolve("g8.png")), 1, 2);
        assertEquals(128 / 255f, a[0][0], 1e-6, "not brightened by the linear grey colour space");
        assertEquals(1f, a[0][1], 1e-6);
        BufferedImage g16 = new BufferedImage(1, 1, BufferedImage.TYPE_USHORT_GRAY);
        g16.getRaster().setSample(0, 0, 0, 65535 / 5);
        assertEquals(0.2f, GreyImages.read(TinyRun.writePng(g16, dir.resolve("g16.png")), 1, 1)[0][0], 1e-4);
    }

    @Test
    void colourIsReducedToLumaAndOpaqueAlphaIsAccepted(@TempDir Path dir) throws Exception {
        BufferedImage rgb = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
        rgb.setRGB(0, 0, 0x808080);
        rgb.setRGB(1, 0, 0xFF0000);
        float[][] a = GreyImages.read(TinyRun.writePng(rgb, dir.resolve("rgb.png")), 1, 2);
        assertEquals(128 / 255f, a[0][0], 1e-6, "grey stored as RGB reads exactly");
        assertEquals(0.299f, a[0][1], 1e-4);
        BufferedImage argb = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB);
        argb.setRGB(0, 0, 0xFF404040);
        assertEquals(0x40 / 255f, GreyImages.read(TinyRun.writePng(argb, dir.resolve("argb.png")), 1, 1)[0][0], 1e-6);
        argb.setRGB(0, 0, 0x00404040);
        ImageRejected e = assertThrows(ImageRejected.class,
                () -> GreyImages.read(TinyRun.writePng(argb, dir.resolve("clear.png")), 1, 1));
        assertTrue(e.getMessage().contains("transparent"), e.getMessage());
    }

    @Test
    void wrongSizeIsRejectedNotResized(@TempDir Path dir) throws Exception {
        Path file = TinyRun.writePng(new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY), dir.resolve("x.png"));
        ImageRejected e = assertThrows(ImageRejected.class, () -> GreyImages.read(file, 28, 56));
        assertTrue(e.getMessage().contains("28x28") && e.getMessage().contains("56x28") && e.getMessage().contains("not resized"),
                e.getMessage());
    }

    @Test
    void foldersGivePngAndJpegFilesAndGreyJpegsRead(@TempDir Path dir) throws Exception {
        BufferedImage g = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        javax.imageio.ImageIO.write(g, "jpg", dir.resolve("b.JPG").toFile());
        TinyRun.writePng(g, dir.resolve("a.png"));
        java.nio.file.Files.writeString(dir.resolve("c.txt"), "x");
        List<Path> files = GreyImages.expand(List.of(dir));
        assertEquals(List.of(dir.resolve("a.png"), dir.resolve("b.JPG")), files);
        assertEquals(0f, GreyImages.read(files.get(1), 28, 28)[5][5], 0.02);
        ExplainException e = assertThrows(ExplainException.class, () -> GreyImages.expand(List.of(dir.resolve("nope"))));
        assertTrue(e.getMessage().contains("nope"), e.getMessage());
    }

    @Test
    void labelsFromFileNames() {
        List<Head> one = List.of(io.spotlight.trainer.data.FashionMnistBasedDataset.LABEL_HEAD);
        assertEquals(Map.of("label", 3), FileLabels.parse(Path.of("shirt_label3.png"), one));
        assertEquals(Map.of("label", 12), FileLabels.parse(Path.of("a-label12.jpg"), one));
        assertEquals(Map.of(), FileLabels.parse(Path.of("relabel3x.png"), one));
        assertEquals(Map.of(), FileLabels.parse(Path.of("shirt.png"), one));
        List<Head> two = List.of(TwoItemFashionMnist.LEFT, TwoItemFashionMnist.RIGHT);
        assertEquals(Map.of("left", 3, "right", 7), FileLabels.parse(Path.of("pair_left3_right7.png"), two));
        assertEquals(Map.of("left", 2, "right", 5), FileLabels.parse(Path.of("pair_label5_left2.png"), two));
    }
}
