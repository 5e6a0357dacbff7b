package io.spotlight.cam.render;

import static io.spotlight.cam.render.RenderFixtures.rgb;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PngTest {
    @TempDir
    Path dir;

    private static BufferedImage overlay(int width, int height) {
        BufferedImage input = RenderFixtures.randomGray(width, height, 11);
        return Overlay.withDefaults().render(input, RenderFixtures.peakAt(7, 7, 1, 2));
    }

    private List<Path> filesIn(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.toList();
        }
    }

    @Test
    void bytesDecodeToTheSamePixels() {
        BufferedImage image = overlay(28, 28);
        BufferedImage decoded = RenderFixtures.decode(Png.toBytes(image));
        assertEquals(28, decoded.getWidth());
        assertEquals(28, decoded.getHeight());
        assertArrayEquals(Images.rgbPixels(image), Images.rgbPixels(decoded));
    }

    @Test
    void writingCreatesParentDirectoriesAndLeavesOnlyThePng() throws IOException {
        Path file = dir.resolve("images/nested/cam+step+3.png");
        Png.write(overlay(56, 28), file);
        BufferedImage read = ImageIO.read(file.toFile());
        assertEquals(56, read.getWidth());
        assertEquals(28, read.getHeight());
        assertEquals(List.of(file), filesIn(file.getParent()));
    }

    @Test
    void theFileGetsOrdinaryPermissionsNotThoseOfATemporaryFile() throws IOException {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path ordinary = Files.writeString(dir.resolve("ordinary.txt"), "created the usual way");
        Path png = dir.resolve("cam.png");
        Png.write(overlay(28, 28), png);
        assertEquals(Files.getPosixFilePermissions(ordinary), Files.getPosixFilePermissions(png));
    }

    @Test
    void writingReplacesAnExistingFile() throws IOException {
        Path file = dir.resolve("cam.png");
        Png.write(overlay(28, 28), file);
        Png.write(overlay(12, 9), file);
        BufferedImage read = ImageIO.read(file.toFile());
        assertEquals(12, read.getWidth());
        assertEquals(9, read.getHeight());
        assertEquals(List.of(file), filesIn(dir));
    }

    @Test
    void aFailedWriteLeavesNoTemporaryFileBehind() throws IOException {
        Path occupied = Files.createDirectories(dir.resolve("cam.png"));
        Files.writeString(occupied.resolve("keep.txt"), "the directory is not empty, so it cannot be replaced");
        assertThrows(IOException.class, () -> Png.write(overlay(28, 28), occupied));
        assertEquals(List.of(occupied), filesIn(dir));
    }

    @Test
    void thumbnailsFitTheLongestSideAndKeepTheAspectRatio() {
        assertSize(256, 102, Png.thumbnail(new BufferedImage(1000, 400, BufferedImage.TYPE_INT_RGB), 256));
        assertSize(64, 256, Png.thumbnail(new BufferedImage(300, 1200, BufferedImage.TYPE_INT_RGB), 256));
        assertSize(256, 256, Png.thumbnail(new BufferedImage(2000, 2000, BufferedImage.TYPE_INT_RGB), 256));
        assertSize(256, 1, Png.thumbnail(new BufferedImage(3000, 2, BufferedImage.TYPE_INT_RGB), 256));
    }

    @Test
    void aGridThumbnailFitsMlflowsLimit() {
        CamGrid.Builder builder = CamGrid.builder();
        for (int i = 0; i < 6; i++) {
            builder.addRow(RenderFixtures.randomGray(56, 28, i), List.of(
                    new HeadCell("left", "Trouser", 0.9, RenderFixtures.peakAt(7, 14, 3, 3)),
                    new HeadCell("right", "Bag", 0.8, RenderFixtures.peakAt(7, 14, 3, 10))));
        }
        BufferedImage grid = builder.render();
        BufferedImage thumbnail = RenderFixtures.decode(Png.toBytes(Png.thumbnail(grid, Png.MLFLOW_THUMBNAIL_SIDE)));
        assertEquals(256, Math.max(thumbnail.getWidth(), thumbnail.getHeight()));
        double scale = 256.0 / Math.max(grid.getWidth(), grid.getHeight());
        assertEquals(grid.getWidth() * scale, thumbnail.getWidth(), 0.5);
        assertEquals(grid.getHeight() * scale, thumbnail.getHeight(), 0.5);
    }

    @Test
    void smallImagesAreNotEnlarged() {
        BufferedImage small = new BufferedImage(28, 56, BufferedImage.TYPE_INT_RGB);
        assertSame(small, Png.thumbnail(small, 256));
        assertThrows(IllegalArgumentException.class, () -> Png.thumbnail(small, 0));
    }

    @Test
    void thumbnailsKeepWhereThingsAre() {
        BufferedImage halves = new BufferedImage(1000, 400, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 400; y++) {
            for (int x = 500; x < 1000; x++) {
                halves.setRGB(x, y, 0xFFFFFF);
            }
        }
        BufferedImage thumbnail = Png.thumbnail(halves, 256);
        for (int y = 0; y < thumbnail.getHeight(); y++) {
            assertTrue(Images.luma(rgb(thumbnail, 10, y)) < 0.05, "left stays black");
            assertTrue(Images.luma(rgb(thumbnail, 245, y)) > 0.95, "right stays white");
        }
    }

    private static void assertSize(int width, int height, BufferedImage image) {
        assertEquals(width, image.getWidth(), "width");
        assertEquals(height, image.getHeight(), "height");
    }
}
