package io.spotlight.losses;

import ai.djl.ndarray.NDArray;
import io.spotlight.cam.map.CamMaps;

/**
 * Share of the map's positive mass that lies in the forbidden region, in [0, 1]. Scale-invariant,
 * so it cannot be gamed by shrinking the map; an all-zero map scores 0, never NaN. The default.
 */
public final class OutsideShare implements MapPenalty {
    /** How the raw map becomes a mass: ReLU keeps evidence for the class, ABS counts evidence either way. */
    public enum Mass {
        RELU,
        ABS
    }

    private final Mass mass;

    public OutsideShare() {
        this(Mass.RELU);
    }

    public OutsideShare(Mass mass) {
        this.mass = mass;
    }

    @Override
    public String name() {
        return mass == Mass.RELU ? "outside_share" : "outside_share_abs";
    }

    @Override
    public NDArray perSample(NDArray map, RegionMasks masks) {
        NDArray m = mass == Mass.RELU ? CamMaps.relu(map) : map.abs();
        NDArray outside = m.mul(masks.forbiddenAtMap()).sum(new int[] {1, 2});
        return outside.div(m.sum(new int[] {1, 2}).add(CamMaps.EPS));
    }
}
