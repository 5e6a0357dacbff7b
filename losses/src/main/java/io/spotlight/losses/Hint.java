package io.spotlight.losses;

import ai.djl.ndarray.NDArray;
import io.spotlight.cam.map.CamMaps;

/**
 * HINT (Selvaraju et al. 2019): mean squared distance between the ReLU'd, max-normalised map
 * upsampled to the input and the allowed mask. Unlike the other penalties it also asks for
 * attention on the whole allowed region.
 */
public final class Hint implements MapPenalty {
    @Override
    public String name() {
        return "hint";
    }

    @Override
    public NDArray perSample(NDArray map, RegionMasks masks) {
        NDArray allowed = masks.allowedAtInput();
        long h = allowed.getShape().get(1);
        long w = allowed.getShape().get(2);
        NDArray up = CamMaps.normalizeMax(CamMaps.resize(CamMaps.relu(map), h, w));
        return up.sub(allowed).square().sum(new int[] {1, 2}).div(h * w);
    }
}
