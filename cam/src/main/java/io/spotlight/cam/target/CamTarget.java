package io.spotlight.cam.target;

import ai.djl.ndarray.NDArray;

/**
 * What a head's map explains: a score per sample whose gradient with respect to the activations
 * gives the map (pytorch-grad-cam's "targets"). Factories are in {@link Targets}.
 */
public interface CamTarget {
    /**
     * The score per sample, shape [B], differentiable in {@code logits}.
     *
     * @param logits the head's output [B, C]
     * @param labels the head's labels [B], or null when the batch has none
     * @param head the head's name, for error messages
     */
    NDArray score(NDArray logits, NDArray labels, String head);

    /** The explained class per sample (int64 [B]), or null for a target that is not a class. */
    NDArray classes(NDArray logits, NDArray labels, String head);

    /** Short name for reports: {@code label}, {@code pred}, a class index, or the function's name. */
    String name();
}
