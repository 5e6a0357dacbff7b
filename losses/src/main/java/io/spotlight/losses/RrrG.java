package io.spotlight.losses;

import ai.djl.ndarray.NDArray;
import io.spotlight.cam.map.CamMaps;

/**
 * RRR-G from the explanatory-interactive-learning literature: the squared, per-sample min-max
 * normalised map inside the forbidden region, averaged over the map's cells (so the scale does
 * not depend on the layer's resolution). No ReLU: negative evidence in the forbidden region is
 * penalised too.
 */
public final class RrrG implements MapPenalty {
    @Override
    public String name() {
        return "rrr_g";
    }

    @Override
    public NDArray perSample(NDArray map, RegionMasks masks) {
        NDArray n = CamMaps.normalizeMinMax(map);
        long cells = map.getShape().get(1) * map.getShape().get(2);
        return n.square().mul(masks.forbiddenAtMap()).sum(new int[] {1, 2}).div(cells);
    }
}
