package io.spotlight.trainer.data;

import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * A data set for attention-guided training: what the trainer needs to know to build a model and
 * to read its batches (see the package documentation for the sample layout).
 */
public interface GuidedDataset {
    /** @return the output heads, in the order of the labels in every sample */
    List<Head> heads();

    /** @return the shape of one image, {@code (C, H, W)} */
    Shape imageShape();

    /** @return how to unpack this data set's batches */
    default BatchLayout layout() {
        return BatchLayout.of(heads());
    }
}
