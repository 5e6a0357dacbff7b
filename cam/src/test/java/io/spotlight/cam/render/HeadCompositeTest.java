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
import java.util.List;
import org.junit.jupiter.api.Test;

class HeadCompositeTest {
    /** 4x4 map that is 1 in columns {@code from..to} and 0 elsewhere. */
    private static float[][] columns(int from, int to) {
        float[][] map = new float[4][4];
        for (float[] row : map) {
            for (int x = from; x <= to; x++) {
                row[x] = 1;
            }
        }
        return map;
    }

    @Test
    void twoHeadsOnDifferentHalvesShowRedLeftAndGreenRight() {
        BufferedImage input = RenderFixtures.solidGray(28, 28, 128);
        BufferedImage composite = HeadComposite.withDefaults().render(input, List.of(columns(0, 1), columns(2, 3)));
        assertEquals(28, composite.getWidth());
        assertEquals(28, composite.getHeight());
        for (int y = 0; y < 28; y++) {
            // bilinear upsampling blends the two halves only around the middle (columns 10..17)
            for (int x = 0; x < 10; x++) {
                int c = rgb(composite, x, y);
                assertTrue(red(c) > green(c) + 100 && red(c) > blue(c) + 100, "red-dominant at " + x + "," + y);
            }
            for (int x = 18; x < 28; x++) {
                int c = rgb(composite, x, y);
                assertTrue(green(c) > red(c) + 100 && green(c) > blue(c) + 100, "green-dominant at " + x + "," + y);
            }
        }
        // (1 - 0.6) * 128/255 grey plus 0.6 of pure red
        assertEquals(0xCC3333, rgb(composite, 0, 0));
    }

    @Test
    void whereBothHeadsLookTheirColoursAdd() {
        BufferedImage composite = HeadComposite.withDefaults().render(
                RenderFixtures.solidGray(8, 8, 0),
                List.of(RenderFixtures.filled(2, 2, 1), RenderFixtures.filled(2, 2, 5)));
        assertEquals(0x999900, rgb(composite, 3, 3), "red + green = yellow, at alpha 0.6");
    }

    @Test
    void eachHeadIsNormalisedOnItsOwn() {
        BufferedImage composite = HeadComposite.withDefaults().render(
                RenderFixtures.solidGray(28, 28, 0), List.of(columns(0, 1), scaled(columns(2, 3), 1e-4f)));
        int left = rgb(composite, 0, 0);
        int right = rgb(composite, 27, 0);
        assertEquals(red(left), green(right), "a weak head shows as strongly as a strong one");
    }

    private static float[][] scaled(float[][] map, float factor) {
        for (float[] row : map) {
            for (int x = 0; x < row.length; x++) {
                row[x] *= factor;
            }
        }
        return map;
    }

    @Test
    void whereNoHeadLooksTheInputShowsInGrey() {
        BufferedImage input = RenderFixtures.randomGray(28, 28, 5);
        BufferedImage composite =
                HeadComposite.withDefaults().render(input, List.of(new float[7][7], new float[7][7]));
        assertArrayEquals(Images.rgbPixels(input), Images.rgbPixels(composite));

        BufferedImage redInput = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        redInput.setRGB(0, 0, 0xFF0000);
        int grey = rgb(HeadComposite.withDefaults().render(redInput, List.<float[][]>of(new float[1][1])), 0, 0);
        assertEquals(0x4C4C4C, grey, "a colour input is shown by its luma, 0.299 * 255");
    }

    @Test
    void headColoursAreRedGreenBlueThenOtherDistinctHues() {
        assertEquals(0xFF0000, HeadComposite.headColor(0));
        assertEquals(0x00FF00, HeadComposite.headColor(1));
        assertEquals(0x0000FF, HeadComposite.headColor(2));
        for (int a = 0; a < 12; a++) {
            for (int b = a + 1; b < 12; b++) {
                int ca = HeadComposite.headColor(a);
                int cb = HeadComposite.headColor(b);
                int difference = Math.max(Math.abs(red(ca) - red(cb)),
                        Math.max(Math.abs(green(ca) - green(cb)), Math.abs(blue(ca) - blue(cb))));
                assertTrue(difference >= 100, "heads " + a + " and " + b + " look alike");
            }
        }
        assertThrows(IllegalArgumentException.class, () -> HeadComposite.headColor(-1));
    }

    @Test
    void badArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new HeadComposite(-0.1));
        assertThrows(IllegalArgumentException.class,
                () -> HeadComposite.withDefaults().render(RenderFixtures.solidGray(2, 2, 0), List.of()));
    }
}
