package io.spotlight.cam.metric;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.ParameterStore;
import io.spotlight.cam.model.CamModel;
import java.util.List;

/**
 * The score a faithfulness metric watches: one head's softmax probability of the explained class
 * for a batch of (perturbed) inputs, in eval mode and without gradients.
 */
@FunctionalInterface
public interface Scorer {
    /**
     * @param inputs [N, C, H, W]
     * @param classes the class to score per input, int64 [N]
     * @return the probabilities [N]
     */
    NDArray score(NDArray inputs, NDArray classes);

    /** Softmax probability of {@code head}, forward passes of at most {@code batchSize} inputs. */
    static Scorer probability(CamModel model, ParameterStore ps, String head, int batchSize) {
        int h = model.headIndex(head);
        return (inputs, classes) -> {
            long n = inputs.getShape().get(0);
            NDList parts = new NDList();
            for (long start = 0; start < n; start += batchSize) {
                long stop = Math.min(n, start + batchSize);
                NDArray x = inputs.get(new NDIndex("{}:{}", start, stop)).stopGradient();
                NDArray logits = model.forward(ps, x, false, List.of()).output(h).stopGradient();
                NDArray cls = classes.get(new NDIndex("{}:{}", start, stop)).reshape(-1, 1);
                parts.add(logits.softmax(1).gather(cls, 1).reshape(-1));
            }
            return parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts, 0);
        };
    }
}
