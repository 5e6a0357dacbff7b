package io.spotlight.cam.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ColormapsTest {
    private static int red(int rgb) {
        return rgb >> 16 & 0xFF;
    }

    private static int green(int rgb) {
        return rgb >> 8 & 0xFF;
    }

    private static int blue(int rgb) {
        return rgb & 0xFF;
    }

    @Test
    void jetRunsFromDarkBlueThroughGreenToDarkRed() {
        Colormap jet = Colormaps.jet();
        assertEquals(0x000080, jet.rgb(0), "jet(0) is dark blue");
        assertEquals(0x80FF80, jet.rgb(0.5), "jet(0.5) is light green");
        assertEquals(0x800000, jet.rgb(1), "jet(1) is dark red");
        assertTrue(blue(jet.rgb(0)) > red(jet.rgb(0)) + 100 && blue(jet.rgb(0)) > green(jet.rgb(0)) + 100);
        assertTrue(red(jet.rgb(1)) > blue(jet.rgb(1)) + 100 && red(jet.rgb(1)) > green(jet.rgb(1)) + 100);
    }

    @Test
    void jetFollowsTheMatlabFormulaEverywhere() {
        for (int i = 0; i <= 1000; i++) {
            double v = i / 1000.0;
            int rgb = Colormaps.jet().rgb(v);
            assertEquals(255 * clamp01(1.5 - Math.abs(4 * v - 3)), red(rgb), 1.0, "red at " + v);
            assertEquals(255 * clamp01(1.5 - Math.abs(4 * v - 2)), green(rgb), 1.0, "green at " + v);
            assertEquals(255 * clamp01(1.5 - Math.abs(4 * v - 1)), blue(rgb), 1.0, "blue at " + v);
        }
    }

    @Test
    void valuesOutsideTheRangeAreClampedAndNanIsZero() {
        for (Colormap colormap : List.of(Colormaps.jet(), Colormaps.viridis())) {
            assertEquals(colormap.rgb(0), colormap.rgb(-0.5));
            assertEquals(colormap.rgb(1), colormap.rgb(7));
            assertEquals(colormap.rgb(0), colormap.rgb(Double.NaN));
            assertEquals(colormap.rgb(1), colormap.rgb(Double.POSITIVE_INFINITY));
        }
    }

    @Test
    void viridisMatchesThePublishedTenColourPalette() {
        // R viridisLite::viridis(10), i.e. viridis at k/9
        int[] published = {0x440154, 0x482878, 0x3E4A89, 0x31688E, 0x26828E, 0x1F9E89, 0x35B779, 0x6DCD59,
            0xB4DE2C, 0xFDE725};
        for (int k = 0; k < published.length; k++) {
            int actual = Colormaps.viridis().rgb(k / 9.0);
            assertEquals(red(published[k]), red(actual), 2, "red at " + k + "/9");
            assertEquals(green(published[k]), green(actual), 2, "green at " + k + "/9");
            assertEquals(blue(published[k]), blue(actual), 2, "blue at " + k + "/9");
        }
        assertEquals(0x440154, Colormaps.viridis().rgb(0));
        assertEquals(0xFDE725, Colormaps.viridis().rgb(1));
    }

    @Test
    void viridisLuminanceIncreasesStrictly() {
        PiecewiseLinearColormap viridis = (PiecewiseLinearColormap) Colormaps.viridis();
        double previous = -1;
        for (int i = 0; i < 256; i++) {
            double[] c = viridis.unitRgb(i / 255.0);
            double y = relativeLuminance(c[0], c[1], c[2]);
            assertTrue(y > previous, "luminance must increase at sample " + i + " of 256");
            previous = y;
        }
        // The 8-bit output too, at a spacing where the colour moves by more than rounding: even the
        // full 256-entry viridis table, rounded to 8 bits, dips by a hair at 4 of its 255 steps
        // (green stays put while red and blue drop), so 256 8-bit samples cannot all increase.
        previous = -1;
        for (int i = 0; i < 128; i++) {
            int rgb = viridis.rgb(i / 127.0);
            double y = relativeLuminance(red(rgb) / 255.0, green(rgb) / 255.0, blue(rgb) / 255.0);
            assertTrue(y > previous, "8-bit luminance must increase at sample " + i + " of 128");
            previous = y;
        }
    }

    @Test
    void colormapsAreFoundByNameIgnoringCaseAndBlanks() {
        assertEquals(List.of("jet", "viridis"), Colormaps.names());
        assertSame(Colormaps.jet(), Colormaps.byName("jet"));
        assertSame(Colormaps.viridis(), Colormaps.byName(" Viridis "));
    }

    @Test
    void anUnknownNameIsRejectedWithTheValidNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Colormaps.byName("hot"));
        assertTrue(e.getMessage().contains("'hot'"), e.getMessage());
        assertTrue(e.getMessage().contains("jet, viridis"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Colormaps.byName(null));
    }

    private static double clamp01(double v) {
        return Math.max(0, Math.min(1, v));
    }

    /** CIE relative luminance Y of an sRGB colour. */
    private static double relativeLuminance(double r, double g, double b) {
        return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
    }

    private static double linear(double c) {
        return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    }
}
