package io.spotlight.losses;

import ai.djl.ndarray.NDArray;
import io.spotlight.cam.map.CamMaps;
import io.spotlight.cam.map.Scalars;

/**
 * Share of the map's positive mass that lies in the forbidden region, in [0, 1]. Scale-invariant,
 * so it cannot be gamed by shrinking the map; an all-zero map scores 0, never NaN. The default.
 *
 * <p>A sample whose map is nearly zero while the rest of the batch's are not (a saturated head: a
 * map of ~1e-7 beside maps of ~1) would count as much as any other, with a gradient of ~1/mass,
 * from a map that is mostly rounding noise. So the mass is floored relative to the batch: share =
 * outside / (mass + {@value #FLOOR} × the mean mass of the batch's annotated samples). A typical sample's share changes by
 * about 1%, a near-zero map's share and gradient fade with its mass (its gradient is at most
 * 1 / ({@value #FLOOR} × mean mass), {@value #FLOOR_BOUND}× a typical sample's), and the penalty stays
 * scale-invariant: scaling every map of the batch by c changes nothing, so shrinking maps still
 * does not pay. The mean is taken per head when heads are stacked ({@link RegionMasks#groups}).
 */
public final class OutsideShare implements MapPenalty {
    /** How the raw map becomes a mass: ReLU keeps evidence for the class, ABS counts evidence either way. */
    public enum Mass {
        RELU,
        ABS
    }

    /** The mass floor as a fraction of the batch's mean mass. */
    public static final double FLOOR = 0.01;
    /** 1 / FLOOR: how much larger than a typical sample's a near-zero map's gradient can be. */
    static final int FLOOR_BOUND = 100;

    private final Mass mass;
    private final double floor;

    public OutsideShare() {
        this(Mass.RELU);
    }

    public OutsideShare(Mass mass) {
        this(mass, FLOOR);
    }

    private OutsideShare(Mass mass, double floor) {
        this.mass = mass;
        this.floor = floor;
    }

    /**
     * The plain share, outside / mass, for measuring ({@code cam_outside_share}) rather than
     * training: a measurement has no gradient to keep bounded, and stays comparable with earlier
     * records.
     */
    public static OutsideShare unfloored() {
        return new OutsideShare(Mass.RELU, 0);
    }

    @Override
    public String name() {
        return mass == Mass.RELU ? "outside_share" : "outside_share_abs";
    }

    @Override
    public NDArray perSample(NDArray map, RegionMasks masks) {
        NDArray m = mass == Mass.RELU ? CamMaps.relu(map) : map.abs();
        NDArray outside = m.mul(masks.forbiddenAtMap()).sum(new int[] {1, 2});
        NDArray total = m.sum(new int[] {1, 2});
        if (floor == 0) {
            return outside.div(total.add(CamMaps.EPS));
        }
        // the floor: a fraction of the mean mass over the annotated samples only, so that
        // unannotated ones still contribute nothing; one per head when heads are stacked
        NDArray floored = masks.annotatedMean(total, floor); // [groups]
        floored = floored.add(Scalars.of(floored, CamMaps.EPS));
        return outside.div(total.add(masks.perSample(floored))); // [N] + [N], or + [1] for one group
    }
}
