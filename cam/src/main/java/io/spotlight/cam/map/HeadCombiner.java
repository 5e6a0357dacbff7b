package io.spotlight.cam.map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import io.spotlight.cam.CamException;
import io.spotlight.cam.CamResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Merges the maps [B, h, w] of several heads into one, for reports over all heads (the snapshot
 * grids' and {@code explain}'s combined column).
 *
 * <pre>{@code
 * NDArray all = HeadCombiner.CONFIDENCE.combine(result, layer, List.of("left", "right")); // [B, h, w]
 * }</pre>
 */
public enum HeadCombiner {
    /** The heads' average. */
    MEAN,
    /** The pixel-wise maximum over heads. */
    MAX,
    /** Average weighted by each head's probability of its explained class, per sample. */
    CONFIDENCE;

    /** What a config or option says for "no combined map". */
    public static final String NONE = "none";

    /**
     * @param maps one map per head, same shape [B, h, w]; normalise them first so that no head
     *     dominates by scale alone ({@link #combineNormalized} does)
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
                NDArray w = confidenceWeights(probabilities).expandDims(2).expandDims(3);
                return stacked.mul(w).sum(new int[] {0});
        }
    }

    /**
     * The per-sample weights of {@link #CONFIDENCE}: head h's probability over the sum of all heads'
     * (plus {@link CamMaps#EPS}), [H, B]; each sample's weights add up to 1.
     */
    public static NDArray confidenceWeights(List<NDArray> probabilities) {
        NDArray p = NDArrays.stack(new NDList(probabilities), 0); // [H, B]
        return p.div(p.sum(new int[] {0}, true).add(CamMaps.EPS));
    }

    /**
     * Raw maps (any sign, any scale) made comparable, then combined. Each head's map is ReLU'd
     * (positive evidence only, what the overlays show) and divided by its own per-sample maximum,
     * the normalisation of the per-head overlays ({@link io.spotlight.cam.render.HostMaps#normalizeByMax}):
     * heads' raw scales differ (different logits, and a confident head's gradients are small), so
     * without it one head would decide the combined map. Dividing by the maximum rather than
     * min-max scaling keeps 0 meaning "no evidence": a head that looks nowhere (an all-zero map)
     * adds nothing instead of being stretched to full range.
     */
    public NDArray combineNormalized(List<NDArray> rawMaps, List<NDArray> probabilities) {
        List<NDArray> normalized = new ArrayList<>();
        for (NDArray m : rawMaps) {
            normalized.add(CamMaps.normalizeMax(CamMaps.relu(m)));
        }
        return combine(normalized, probabilities);
    }

    /**
     * The combined map [B, h, w] of {@code heads} at {@code layer}; confidence weighting uses each
     * head's probability of its explained class ({@link CamResult#probabilities}).
     */
    public NDArray combine(CamResult result, String layer, List<String> heads) {
        List<NDArray> maps = new ArrayList<>();
        List<NDArray> probabilities = new ArrayList<>();
        for (String head : heads) {
            maps.add(result.map(head, layer));
            if (this == CONFIDENCE) {
                NDArray p = result.probabilities(head);
                if (p == null) {
                    throw new CamException("confidence weighting needs a class target for head '" + head
                            + "' (its probability weights its map); use mean or max");
                }
                probabilities.add(p);
            }
        }
        return combineNormalized(maps, probabilities);
    }

    /** The name reports give the combined map, e.g. {@code combined(mean)}. */
    public String label() {
        return "combined(" + name().toLowerCase(Locale.ROOT) + ")";
    }

    /** {@code none} (empty), or a combination by name; anything else names the choices. */
    public static Optional<HeadCombiner> byNameOrNone(String name) {
        if (name.trim().equalsIgnoreCase(NONE)) {
            return Optional.empty();
        }
        try {
            return Optional.of(valueOf(name.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw new CamException("unknown head combination '" + name + "'; expected none, mean, max or confidence");
        }
    }
}
