package io.spotlight.cam.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.spotlight.cam.CamException;
import java.util.ArrayList;
import java.util.List;

/**
 * Ablation-CAM (Desai and Ramaswamy 2020), post hoc only: channel k's weight is the relative drop
 * of the explained class's score when channel k of the layer is set to zero, {@code (y - y_k) / y}
 * (pytorch-grad-cam's formula; it sets channels to a large negative value instead when the layer's
 * minimum is not 0, which Spotlight does not). One forward pass per channel, in batches of {@link
 * #batchSize()}.
 */
public final class AblationCam extends RescoringCam {
    public AblationCam() {
        this(64);
    }

    public AblationCam(int batchSize) {
        super(batchSize);
    }

    @Override
    public String name() {
        return "ablationcam";
    }

    @Override
    public NDArray weights(CamContext c) {
        if (c.classes() == null) {
            throw new CamException("Ablation-CAM explains a class; the target of head '" + c.head() + "' is not a class");
        }
        NDArray x = c.input();
        long b = x.getShape().get(0);
        long k = c.activations().getShape().get(1);
        NDArray original = c.rescore().apply(x, c.classes()); // [B]
        List<NDArray> perSample = new ArrayList<>();
        for (long i = 0; i < b; i++) {
            NDArray xi = x.get(new NDIndex("{}:{}", i, i + 1));
            NDArray cls = c.classes().get(new NDIndex("{}:{}", i, i + 1));
            NDList scores = new NDList();
            for (long start = 0; start < k; start += batchSize()) {
                long n = Math.min(k, start + batchSize()) - start;
                // row j keeps every channel but start + j
                float[] kept = new float[(int) (n * k)];
                java.util.Arrays.fill(kept, 1);
                for (int j = 0; j < n; j++) {
                    kept[(int) (j * k + start + j)] = 0;
                }
                NDArray keep = x.getManager().create(kept, new Shape(n, k, 1, 1)).toDevice(x.getDevice(), false);
                scores.add(c.rescoreEdited().apply(xi.repeat(0, n), a -> a.mul(keep.toType(a.getDataType(), false)),
                        cls.repeat(0, n)));
            }
            NDArray y = original.get(i);
            perSample.add(y.sub(NDArrays.concat(scores, 0)).div(y));
        }
        return NDArrays.stack(new NDList(perSample), 0).reshape(b, k, 1, 1);
    }
}
