package io.spotlight.cam.metric;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * One head's maps for a batch, as the metrics read them.
 *
 * @param images the inputs [B, C, H, W]
 * @param maps the head's maps at input resolution, ReLU'd, [B, H, W] (see {@link MetricMaps})
 * @param classes the explained class per image, int64 [B]
 * @param allowed the head's allowed region [B, H, W] (1 = allowed), or null when the head has none
 * @param hasMask 1 where the image has a mask [B], or null with {@code allowed}
 * @param scorer the head's probability of a class, for the faithfulness metrics
 */
public record MetricInput(NDArray images, NDArray maps, NDArray classes, NDArray allowed, NDArray hasMask,
        Scorer scorer) {

    public long batch() {
        return images.getShape().get(0);
    }

    /** Image {@code i}'s map on the host, row-major [H * W]. */
    public float[] map(long i) {
        return maps.get(i).toType(DataType.FLOAT32, false).toFloatArray();
    }

    /** Image {@code i}'s allowed region on the host (1 = allowed), or null when image {@code i} has no mask. */
    public float[] allowed(long i) {
        if (allowed == null || hasMask.get(i).toType(DataType.FLOAT32, false).getFloat() < 0.5f) {
            return null;
        }
        return allowed.get(i).toType(DataType.FLOAT32, false).toFloatArray();
    }
}
