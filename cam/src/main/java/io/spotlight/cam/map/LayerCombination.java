package io.spotlight.cam.map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import io.spotlight.cam.CamResult;
import java.util.List;

/**
 * Maps of several layers in one, as pytorch-grad-cam's {@code aggregate_multi_layers}: each
 * layer's map ReLU'd, min-max normalised per sample and resized to the input; the mean over the
 * layers, min-max normalised again. Differentiable (a penalty may read it), [B, H, W] in [0, 1].
 */
public final class LayerCombination {
    private LayerCombination() {}

    public static NDArray mean(CamResult r, String head, List<String> layers, long height, long width) {
        List<NDArray> raw = new java.util.ArrayList<>();
        layers.forEach(l -> raw.add(r.map(head, l)));
        return mean(raw, height, width);
    }

    /** The combination of raw maps [B, h_l, w_l], one per layer. */
    public static NDArray mean(List<NDArray> raws, long height, long width) {
        NDList scaled = new NDList();
        for (NDArray raw : raws) {
            scaled.add(scaled(raw, height, width));
        }
        NDArray mean = NDArrays.stack(scaled, 0).mean(new int[] {0});
        return CamMaps.normalizeMinMax(mean);
    }

    /** pytorch-grad-cam's {@code scale_cam_image} of a ReLU'd map: min-max, then resize. */
    public static NDArray scaled(NDArray raw, long height, long width) {
        return CamMaps.resize(CamMaps.normalizeMinMax(CamMaps.relu(raw)), height, width);
    }
}
