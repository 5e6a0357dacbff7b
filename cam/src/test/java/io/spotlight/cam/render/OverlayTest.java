package io.spotlight.cam.render;

import static io.spotlight.cam.render.RenderFixtures.blue;
import static io.spotlight.cam.render.RenderFixtures.green;
import static io.spotlight.cam.render.RenderFixtures.red;
import static io.spotlight.cam.render.RenderFixtures.rgb;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class OverlayTest {
    @Test
    void theOverlayHasTheInputsSizeAndDecodesAsPng() {
        BufferedImage square = Overlay.withDefaults().render(RenderFixtures.randomGray(28, 28, 1), new float[7][7]);
        BufferedImage twoItems = Overlay.withDefaults().render(RenderFixtures.randomGray(56, 28, 2), new float[7][14]);
        BufferedImage decoded = RenderFixtures.decode(Png.toBytes(twoItems));
        assertEquals(28, square.getWidth());
        assertEquals(28, square.getHeight());
        assertEquals(56, decoded.getWidth());
        assertEquals(28, decoded.getHeight());
    }

    @Test
    void theHottestPixelIsInsideThePeakCellsFootprint() {
        // A 7x7 map over 28x28: cell (row 2, column 5) covers rows 8..11 and columns 20..23.
        assertHottestPixelsWithin(28, RenderFixtures.peakAt(7, 7, 2, 5), 8, 11, 20, 23);
        // Over 112x112 a cell is 16 px; a corner cell (6, 0) covers rows 96..111, columns 0..15.
        assertHottestPixelsWithin(112, RenderFixtures.peakAt(7, 7, 6, 0), 96, 111, 0, 15);
    }

    private static void assertHottestPixelsWithin(
            int size, float[][] map, int top, int bottom, int left, int right) {
        double alpha = Overlay.DEFAULT_ALPHA;
        BufferedImage black = RenderFixtures.solidGray(size, size, 0);
        BufferedImage overlay = new Overlay(Colormaps.jet(), alpha).render(black, map);
        double[][] value = new double[size][size];
        double hottest = -1;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                value[y][x] = jetValueOver(rgb(overlay, x, y), 0, alpha);
                hottest = Math.max(hottest, value[y][x]);
            }
        }
        assertTrue(hottest > 0.99, "the peak is drawn as jet(1), got jet(" + hottest + ")");
        int found = 0;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                if (value[y][x] == hottest) {
                    found++;
                    assertTrue(y >= top && y <= bottom && x >= left && x <= right,
                            "hottest pixel at row " + y + ", column " + x + " is outside the peak cell");
                }
            }
        }
        assertTrue(found >= 1);
    }

    /** Which jet value, blended at alpha over a uniform grey level, gives the nearest colour. */
    private static double jetValueOver(int rgb, int greyLevel, double alpha) {
        double best = 0;
        double bestDistance = Double.MAX_VALUE;
        for (int i = 0; i <= 1000; i++) {
            int expected = Overlay.blend(greyLevel * 0x010101, Colormaps.jet().rgb(i / 1000.0), alpha);
            double distance = Math.pow(red(expected) - red(rgb), 2) + Math.pow(green(expected) - green(rgb), 2)
                    + Math.pow(blue(expected) - blue(rgb), 2);
            if (distance < bestDistance) {
                bestDistance = distance;
                best = i / 1000.0;
            }
        }
        return best;
    }

    @Test
    void anAllZeroMapBlendsColormapZeroEverywhere() {
        BufferedImage input = RenderFixtures.randomGray(28, 28, 3);
        BufferedImage overlay = Overlay.withDefaults().render(input, new float[7][7]);
        int jet0 = Colormaps.jet().rgb(0);
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                int grey = input.getRaster().getSample(x, y, 0);
                int actual = rgb(overlay, x, y);
                assertEquals(Math.round(0.6 * grey + 0.4 * red(jet0)), red(actual), "red at " + x + "," + y);
                assertEquals(Math.round(0.6 * grey + 0.4 * green(jet0)), green(actual), "green at " + x + "," + y);
                assertEquals(Math.round(0.6 * grey + 0.4 * blue(jet0)), blue(actual), "blue at " + x + "," + y);
            }
        }
    }

    @Test
    void aUniformMapIsItsOwnMaximumEverywhere() {
        BufferedImage overlay = new Overlay(Colormaps.viridis(), 1).render(
                RenderFixtures.randomGray(10, 6, 4), RenderFixtures.filled(3, 5, 3.5f));
        for (int y = 0; y < 6; y++) {
            for (int x = 0; x < 10; x++) {
                assertEquals(Colormaps.viridis().rgb(1), rgb(overlay, x, y));
            }
        }
    }

    @Test
    void alphaZeroShowsOnlyTheInputInItsOwnColours() {
        BufferedImage input = new BufferedImage(4, 3, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < 12; i++) {
            input.setRGB(i % 4, i / 4, 0x102030 * (i + 1) & 0xFFFFFF);
        }
        BufferedImage overlay = new Overlay(Colormaps.jet(), 0).render(input, RenderFixtures.peakAt(2, 2, 0, 1));
        assertArrayEquals(Images.rgbPixels(input), Images.rgbPixels(overlay));
    }

    @Test
    void alphaSetsTheShareOfTheColormap() {
        BufferedImage input = RenderFixtures.solidGray(4, 4, 200);
        int hot = rgb(new Overlay(Colormaps.jet(), 0.8).render(input, RenderFixtures.filled(1, 1, 1)), 0, 0);
        // 0.2 * 200 + 0.8 * jet(1) = 0.2 * 200 + 0.8 * (128, 0, 0)
        assertEquals(0x8E2828, hot);
    }

    @Test
    void alphaOutsideZeroToOneIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Overlay(Colormaps.jet(), 1.5));
        assertThrows(IllegalArgumentException.class, () -> new Overlay(Colormaps.jet(), Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new Overlay(null, 0.4));
    }
}
