package io.spotlight.cam.map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import io.spotlight.cam.CamException;
import java.util.List;
import java.util.Locale;

/** Merges the maps [B, h, w] of several heads into one, for reports over all heads. */
public enum HeadCombiner {
    /** The heads' average. */
    MEAN,
    /** The pixel-wise maximum over heads. */
    MAX,
    /** Average weighted by each head's probability of its explained class, per sample. */
    CONFIDENCE;

    /**
     * @param maps one map per head, same shape [B, h, w]; normalise them first so that no head
     *     dominates by scale alone
     * @param probabilities one [B] array per head (only read by {@link #CONFIDENCE})
     */
    public NDArray combine(List<NDArray> maps, List<NDArray> probabilities) {
        if (maps.isEmpty()) {
            throw new CamException("no maps to combine");
        }
        NDArray stacked = NDArrays.stack(new NDList(maps), 0); // [H, B, h, w]
        switch (this) {
            case MEAN:
                return stacked.sum(new int[] {0}).div(maps.size());
            case MAX:
                return stacked.max(new int[] {0});
            default:
                if (probabilities == null || probabilities.size() != maps.size()) {
                    throw new CamException(
                            "confidence weighting needs one probability array per head: "
                                    + maps.size() + " maps, "
                                    + (probabilities == null ? 0 : probabilities.size()) + " probability arrays");
                }
                NDArray p = NDArrays.stack(new NDList(probabilities), 0); // [H, B]
                NDArray w = p.div(p.sum(new int[] {0}, true).add(CamMaps.EPS)).expandDims(2).expandDims(3);
                return stacked.mul(w).sum(new int[] {0});
        }
    }

    public static HeadCombiner byName(String name) {
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new CamException("unknown head combination '" + name + "'; expected mean, max or confidence");
        }
    }
}
