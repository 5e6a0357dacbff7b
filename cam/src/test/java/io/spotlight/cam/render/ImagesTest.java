package io.spotlight.cam.render;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class ImagesTest {
    @Test
    void greyImagesAreReadFromTheirRawSamples() {
        BufferedImage grey = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(0, 0, 0, 128);
        grey.getRaster().setSample(1, 0, 0, 50);
        // getRGB would give 0xBCBCBC for 128: Java treats TYPE_BYTE_GRAY as linear light.
        assertArrayEquals(new int[] {0x808080, 0x323232}, Images.rgbPixels(grey));

        BufferedImage sixteenBit = new BufferedImage(1, 1, BufferedImage.TYPE_USHORT_GRAY);
        sixteenBit.getRaster().setSample(0, 0, 0, 65535);
        assertArrayEquals(new int[] {0xFFFFFF}, Images.rgbPixels(sixteenBit));
    }

    @Test
    void rgbImagesKeepTheirColoursWithoutAlpha() {
        BufferedImage argb = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB);
        argb.setRGB(0, 0, 0x80123456);
        assertArrayEquals(new int[] {0x123456}, Images.rgbPixels(argb));
    }

    @Test
    void fromGrayMapsUnitIntensitiesToBytesRowByRow() {
        BufferedImage image = Images.fromGray(new float[][] {{0, 0.5f, 1}, {-1, 2, Float.NaN}});
        assertEquals(3, image.getWidth());
        assertEquals(2, image.getHeight());
        assertArrayEquals(new int[] {0x000000, 0x808080, 0xFFFFFF, 0x000000, 0xFFFFFF, 0x000000},
                Images.rgbPixels(image));
    }

    @Test
    void nearestUpscalingTurnsEachPixelIntoABlock() {
        BufferedImage image = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, 0xFF0000);
        image.setRGB(1, 0, 0x0000FF);
        BufferedImage big = Images.upscaleNearest(image, 3);
        assertEquals(6, big.getWidth());
        assertEquals(3, big.getHeight());
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 6; x++) {
                assertEquals(x < 3 ? 0xFF0000 : 0x0000FF, big.getRGB(x, y) & 0xFFFFFF, "at " + x + "," + y);
            }
        }
    }
}
