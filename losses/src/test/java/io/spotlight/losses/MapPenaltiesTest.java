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
        // one sample: the mass floor is 1% of its own mass, so 3 / (4 + 0.04)
        float floored = (float) (1 / (1 + OutsideShare.FLOOR));
        assertEquals(0.75f * floored, new OutsideShare().perSample(m, topRightForbidden(m, 0)).getFloat(), 1e-6f);
        // scale-invariant: shrinking the map does not lower the share
        assertEquals(0.75f * floored, new OutsideShare().perSample(m.mul(1e-3f), topRightForbidden(m, 0)).getFloat(), 1e-4f);
        // abs mass: |1|+|3|+|-2| = 6, 3 forbidden
        assertEquals(0.5f * floored, new OutsideShare(OutsideShare.Mass.ABS).perSample(m, topRightForbidden(m, 0)).getFloat(), 1e-6f);
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
        assertEquals((float) (1 / (1 + OutsideShare.FLOOR)), new OutsideShare().perSample(some, allForbidden).getFloat(), 1e-6f);
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

    /**
     * The numerical edge: a batch with a saturated sample (map ~1e-7) beside ordinary ones. Without
     * the floor its gradient would be ~1/mass = 1e7 and its share would count as much as any
     * other's; with it the gradient is finite and at most 1/(FLOOR × mean mass), and its share fades.
     */
    @Test
    void aNearZeroMapGivesAFiniteBoundedGradientAndFades() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            float[] v = new float[3 * 4];
            float[] ordinary = {1, 3, 0.5f, 2};
            for (int b = 0; b < 2; b++) {
                System.arraycopy(ordinary, 0, v, 4 * b, 4);
            }
            float[] saturated = {1e-7f, 3e-7f, 0.5e-7f, 2e-7f};
            System.arraycopy(saturated, 0, v, 8, 4);
            NDArray maps = m.create(v, new Shape(3, 2, 2)).toType(ai.djl.ndarray.types.DataType.FLOAT64, false);
            float[] allowed = new float[3 * 16];
            java.util.Arrays.fill(allowed, 1);
            for (int b = 0; b < 3; b++) {
                for (int r = 0; r < 2; r++) {
                    for (int c = 2; c < 4; c++) {
                        allowed[b * 16 + r * 4 + c] = 0;
                    }
                }
            }
            RegionMasks masks = RegionMasks.fit(m.create(allowed, new Shape(3, 1, 4, 4)), m.ones(new Shape(3)), maps, 0, "mask");
            try (ai.djl.training.GradientCollector gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                maps.setRequiresGradient(true);
                NDArray share = new OutsideShare().perSample(maps, masks);
                double[] s = share.toDoubleArray();
                double meanMass = (6.5 + 6.5 + 6.5e-7) / 3;
                assertEquals(3 / (6.5 + OutsideShare.FLOOR * meanMass), s[0], 1e-8, "an ordinary sample's share, 1% off 3/6.5");
                assertEquals(3e-7 / (6.5e-7 + OutsideShare.FLOOR * meanMass), s[2], 1e-9, "the saturated sample's share fades with its mass");
                assertTrue(s[2] < 1e-4 * s[0], "it counts for almost nothing beside an ordinary sample");
                gc.backward(share.sum());
                double[] g = maps.getGradient().toDoubleArray();
                double bound = 1 / (OutsideShare.FLOOR * meanMass);
                for (int i = 0; i < g.length; i++) {
                    assertTrue(Double.isFinite(g[i]), "gradient " + i + " is " + g[i]);
                    assertTrue(Math.abs(g[i]) <= bound * 1.0001, "gradient " + i + " = " + g[i] + " above 1/(floor x mean mass) = " + bound);
                }
                double ordinaryMax = 0;
                for (int i = 0; i < 8; i++) {
                    ordinaryMax = Math.max(ordinaryMax, Math.abs(g[i]));
                }
                double saturatedMax = 0;
                for (int i = 8; i < 12; i++) {
                    saturatedMax = Math.max(saturatedMax, Math.abs(g[i]));
                }
                // an ordinary sample's gradient is up to 1/mass; the saturated one's is at most
                // FLOOR_BOUND/mean mass instead of the 1/mass = 1.5e6 it would be without the floor
                assertTrue(ordinaryMax <= 1 / 6.5 * 1.0001, "ordinary " + ordinaryMax);
                assertTrue(saturatedMax <= OutsideShare.FLOOR_BOUND / meanMass * 1.0001 && saturatedMax < 1e-4 / 6.5e-7,
                        "saturated " + saturatedMax);
            }
        }
    }
}
