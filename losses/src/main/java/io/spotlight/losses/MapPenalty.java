package io.spotlight.losses;

import ai.djl.ndarray.NDArray;

/** A penalty on one head's map given where attention is forbidden: one value per sample. */
public interface MapPenalty {
    /** The name used in configs. */
    String name();

    /**
     * @param map the raw map [B, h, w] (no ReLU, no normalisation: each penalty chooses)
     * @return the penalty per sample [B], before masking out samples without annotation
     */
    NDArray perSample(NDArray map, RegionMasks masks);
}
