package io.spotlight.losses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.spotlight.cam.CamException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Penalties on maps small enough to check by hand, and the degenerate masks. */
class MapPenaltiesTest {
    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager("PyTorch");
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private NDArray map(float... v) {
        return manager.create(v, new Shape(1, 2, 2));
    }

    /** Allowed mask at input 4x4 where the top-right 2x2 block (map cell (0,1)) is forbidden. */
    private RegionMasks topRightForbidden(NDArray map, int dilation) {
        float[] allowed = new float[16];
        java.util.Arrays.fill(allowed, 1);
        for (int r = 0; r < 2; r++) {
            for (int c = 2; c < 4; c++) {
                allowed[r * 4 + c] = 0;
            }
        }
        return RegionMasks.fit(manager.create(allowed, new Shape(1, 1, 4, 4)), manager.ones(new Shape(1)), map, dilation, "mask");
    }

    @Test
    void outsideShareIsThePositiveMassInTheForbiddenCells() {
        NDArray m = map(1, 3, 0, -2); // ReLU drops the -2: mass 4, 3 of it forbidden
        assertEquals(0.75f, new OutsideShare().perSample(m, topRightForbidden(m, 0)).getFloat(), 1e-6f);
        // scale-invariant: shrinking the map does not lower the share
        assertEquals(0.75f, new OutsideShare().perSample(m.mul(1e-3f), topRightForbidden(m, 0)).getFloat(), 1e-4f);
        // abs mass: |1|+|3|+|-2| = 6, 3 forbidden
        assertEquals(0.5f, new OutsideShare(OutsideShare.Mass.ABS).perSample(m, topRightForbidden(m, 0)).getFloat(), 1e-6f);
    }

    @Test
    void dilationGrowsTheForbiddenRegionBeforeFitting() {
        NDArray m = map(1, 3, 0, -2);
        // one pixel of dilation reaches into every other cell's input block
        assertArrayEquals(new float[] {1, 1, 1, 1}, topRightForbidden(m, 1).forbiddenAtMap().toFloatArray());
        assertArrayEquals(new float[] {0, 1, 0, 0}, topRightForbidden(m, 0).forbiddenAtMap().toFloatArray());
    }

    @Test
    void rrrGIsTheSquaredNormalisedMapInsideTheForbiddenRegion() {
        NDArray m = map(1, 3, 0, -2); // min-max: (x + 2)/5 → cell (0,1) = 1; mean over 4 cells
        assertEquals(0.25f, new RrrG().perSample(m, topRightForbidden(m, 0)).getFloat(), 1e-6f);
    }

    @Test
    void hintComparesTheUpsampledMapWithTheAllowedMask() {
        NDArray m = map(1, 1, 1, 1); // uniform map → normalised to 1 everywhere; 4 of 16 pixels forbidden
        assertEquals(4f / 16, new Hint().perSample(m, topRightForbidden(m, 0)).getFloat(), 1e-6f);
    }

    @Test
    void allZeroMapsAndAllZeroOrAllOneMasksGiveNoNaN() {
        NDArray zero = map(0, 0, 0, 0);
        NDArray some = map(1, 2, 3, 4);
        RegionMasks allAllowed = RegionMasks.fit(manager.ones(new Shape(1, 1, 4, 4)), manager.ones(new Shape(1)), some, 0, "m");
        RegionMasks allForbidden = RegionMasks.fit(manager.zeros(new Shape(1, 1, 4, 4)), manager.ones(new Shape(1)), some, 0, "m");
        for (MapPenalty p : new MapPenalty[] {new OutsideShare(), new RrrG(), new Hint()}) {
            for (NDArray m : new NDArray[] {zero, some}) {
                for (RegionMasks r : new RegionMasks[] {allAllowed, allForbidden}) {
                    float v = p.perSample(m, r).getFloat();
                    assertTrue(Float.isFinite(v), p.name() + " gave " + v);
                }
            }
        }
        assertEquals(0f, new OutsideShare().perSample(some, allAllowed).getFloat());
        assertEquals(1f, new OutsideShare().perSample(some, allForbidden).getFloat(), 1e-6f);
        assertEquals(0f, new OutsideShare().perSample(zero, allForbidden).getFloat());
    }

    @Test
    void badTermsAreRejectedWithTheirName() {
        CamException e = assertThrows(CamException.class, () -> PenaltyTerm.cam("outside_share", "gradcam", "trunk", -1, 0));
        assertTrue(e.getMessage().contains("gradcam@trunk") && e.getMessage().contains("-1"), e.getMessage());
        e = assertThrows(CamException.class, () -> PenaltyTerm.cam("outside", "gradcam", "trunk", 1, 0));
        assertTrue(e.getMessage().contains("'outside'") && e.getMessage().contains("rrr_g"), e.getMessage());
        e = assertThrows(CamException.class, () -> PenaltyTerm.cam("outside_share", "scorecam", "trunk", 1, 0));
        assertTrue(e.getMessage().contains("post hoc"), e.getMessage());
        e = assertThrows(CamException.class, () -> PenaltyTerm.cam("outside_share", "gradcam", "trunk", Double.NaN, 0));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
    }
}
