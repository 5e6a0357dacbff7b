package io.spotlight.cam.render;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class HostMapsTest {
    private static final float EXACT = 1e-6f;

    @Test
    void upsampling2x2To4x4MatchesTorchAlignCornersFalse() {
        // Output index i samples the source at (i + 0.5) * 2/4 - 0.5, clamped at 0:
        //   i = 0 → -0.25 → 0: a;  i = 1 → 0.25: 0.75a + 0.25b;  i = 2 → 0.75: 0.25a + 0.75b;
        //   i = 3 → 1.25 → past the last source index: b.
        // Rows [1, 2] and [3, 4] become [1, 1.25, 1.75, 2] and [3, 3.25, 3.75, 4]; the same weights
        // down the columns give the middle rows 0.75*r0 + 0.25*r1 and 0.25*r0 + 0.75*r1.
        // torch.nn.functional.interpolate(torch.tensor([[[[1., 2.], [3., 4.]]]]), size=(4, 4),
        // mode="bilinear", align_corners=False) prints exactly this.
        float[][] expected = {
            {1.00f, 1.25f, 1.75f, 2.00f},
            {1.50f, 1.75f, 2.25f, 2.50f},
            {2.50f, 2.75f, 3.25f, 3.50f},
            {3.00f, 3.25f, 3.75f, 4.00f},
        };
        float[][] actual = HostMaps.resizeBilinear(new float[][] {{1, 2}, {3, 4}}, 4, 4);
        for (int y = 0; y < 4; y++) {
            assertArrayEquals(expected[y], actual[y], EXACT, "row " + y);
        }
    }

    @Test
    void upsamplingByANonIntegerFactor() {
        // 3 → 5 samples the source at (i + 0.5) * 0.6 - 0.5 = -0.2 (→ 0), 0.4, 1.0, 1.6, 2.2 (→ 2):
        // over [0, 10, 20] that is 0, 4, 10, 16, 20.
        float[][] actual = HostMaps.resizeBilinear(new float[][] {{0, 10, 20}}, 1, 5);
        assertArrayEquals(new float[] {0, 4, 10, 16, 20}, actual[0], EXACT);
    }

    @Test
    void downsamplingAveragesNeighbours() {
        // 4 → 2 samples the source at 0.5 and 2.5.
        float[][] actual = HostMaps.resizeBilinear(new float[][] {{0, 10, 20, 30}}, 1, 2);
        assertArrayEquals(new float[] {5, 25}, actual[0], EXACT);
    }

    @Test
    void resizingToTheSameSizeChangesNothing() {
        float[][] map = {{0, 1, 2}, {3, 4, 5}};
        float[][] actual = HostMaps.resizeBilinear(map, 2, 3);
        assertArrayEquals(map[0], actual[0], EXACT);
        assertArrayEquals(map[1], actual[1], EXACT);
    }

    @Test
    void heightAndWidthAreRowsAndColumns() {
        float[][] actual = HostMaps.resizeBilinear(new float[][] {{1, 2}}, 3, 8);
        assertEquals(3, actual.length);
        assertEquals(8, actual[0].length);
    }

    @Test
    void normalisingDividesByTheMaximumAndLeavesTheInputAlone() {
        float[][] map = {{0, 2}, {4, 1}};
        float[][] normalised = HostMaps.normalizeByMax(map);
        assertArrayEquals(new float[] {0, 0.5f}, normalised[0], EXACT);
        assertArrayEquals(new float[] {1, 0.25f}, normalised[1], EXACT);
        assertArrayEquals(new float[] {4, 1}, map[1], EXACT);
    }

    @Test
    void anAllZeroMapStaysZeroRatherThanNan() {
        float[][] normalised = HostMaps.normalizeByMax(new float[3][5]);
        for (float[] row : normalised) {
            assertArrayEquals(new float[5], row, 0f);
        }
    }

    @Test
    void nonFiniteEntriesCountAsZero() {
        float[][] normalised = HostMaps.normalizeByMax(new float[][] {{Float.NaN, 2, Float.POSITIVE_INFINITY, 1}});
        assertArrayEquals(new float[] {0, 1, 0, 0.5f}, normalised[0], EXACT);
    }

    @Test
    void malformedMapsAndSizesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> HostMaps.normalizeByMax(new float[0][0]));
        assertThrows(IllegalArgumentException.class, () -> HostMaps.normalizeByMax(new float[][] {{1, 2}, {3}}));
        assertThrows(IllegalArgumentException.class, () -> HostMaps.resizeBilinear(new float[][] {{1}}, 0, 4));
    }
}
