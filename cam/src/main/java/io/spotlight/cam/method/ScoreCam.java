package io.spotlight.cam.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.spotlight.cam.CamException;
import io.spotlight.cam.map.CamMaps;
import java.util.ArrayList;
import java.util.List;

/**
 * Score-CAM (Wang et al. 2020), post hoc only: each channel, upsampled and min-max normalised,
 * masks the input; the model's score of the explained class for that masked input, softmaxed over
 * channels, is the channel's weight. Masked inputs run through the model in batches of {@link
 * #batchSize()}.
 */
public final class ScoreCam extends RescoringCam {
    private static final double EPS = 1e-8;
    public ScoreCam() {
        this(64);
    }

    public ScoreCam(int batchSize) {
        super(batchSize);
    }

    @Override
    public String name() {
        return "scorecam";
    }

    @Override
    public NDArray weights(CamContext c) {
        if (c.classes() == null || c.rescore() == null) {
            throw new CamException("Score-CAM explains a class; the target of head '" + c.head() + "' is not a class");
        }
        NDArray x = c.input();
        Shape in = x.getShape(); // [B, C, H, W]
        NDArray a = c.activations().stopGradient();
        long b = a.getShape().get(0);
        long k = a.getShape().get(1);
        NDArray up = CamMaps.resize(a, in.get(2), in.get(3)); // [B, K, H, W]
        NDArray flat = up.reshape(b, k, -1);
        NDArray min = flat.min(new int[] {2}, true).expandDims(3);
        NDArray max = flat.max(new int[] {2}, true).expandDims(3);
        NDArray masks = up.sub(min).div(max.sub(min).add(EPS)); // [B, K, H, W] in [0, 1]
        List<NDArray> perSample = new ArrayList<>();
        for (long i = 0; i < b; i++) {
            NDArray xi = x.get(new NDIndex("{}:{}", i, i + 1)); // [1, C, H, W]
            NDArray cls = c.classes().get(new NDIndex("{}:{}", i, i + 1));
            List<NDArray> scores = new ArrayList<>();
            for (long start = 0; start < k; start += batchSize()) {
                long stop = Math.min(k, start + batchSize());
                NDArray m = masks.get(new NDIndex("{},{}:{}", i, start, stop)).expandDims(1); // [n,1,H,W]
                NDArray masked = xi.mul(m);
                scores.add(c.rescore().apply(masked, cls.repeat(0, stop - start)));
            }
            perSample.add(NDArrays.concat(new ai.djl.ndarray.NDList(scores), 0).softmax(0));
        }
        return NDArrays.stack(new ai.djl.ndarray.NDList(perSample), 0).reshape(b, k, 1, 1);
    }
}
