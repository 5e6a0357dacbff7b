package io.spotlight.cam.model;

import ai.djl.ndarray.NDArray;
import io.spotlight.cam.CamException;
import java.util.List;
import java.util.Map;

/** What one forward pass of a {@link CamModel} kept: each head's output and the tapped layers. */
public final class Taps {
    private final CamModel model;
    private final List<NDArray> outputs;
    private final Map<LayerPath, NDArray> shared;
    private final Map<LayerPath, Map<Integer, NDArray>> perHead;
    private final Map<Integer, NDArray> leaves;

    Taps(
            CamModel model,
            List<NDArray> outputs,
            Map<LayerPath, NDArray> shared,
            Map<LayerPath, Map<Integer, NDArray>> perHead,
            Map<Integer, NDArray> leaves) {
        this.model = model;
        this.outputs = outputs;
        this.shared = shared;
        this.perHead = perHead;
        this.leaves = leaves;
    }

    /**
     * After {@link CamModel#forwardCut}: the leaf that head {@code head} read in place of the cut
     * layer's output (the one leaf, for a cut inside the trunk); null otherwise.
     */
    public NDArray leaf(int head) {
        return leaves.containsKey(head) ? leaves.get(head) : leaves.get(0);
    }

    /** Output (logits) of head {@code head}. */
    public NDArray output(int head) {
        return outputs.get(head);
    }

    public List<NDArray> outputs() {
        return outputs;
    }

    /**
     * The activations of {@code layer} as head {@code head} sees them: its own view when the layer
     * is the trunk output of a multi-head model, else the shared array.
     */
    public NDArray activation(LayerPath layer, int head) {
        Map<Integer, NDArray> views = perHead.get(layer);
        if (views != null && views.containsKey(head)) {
            return views.get(head);
        }
        int owner = model.owningHead(layer);
        if (owner >= 0 && owner != head) {
            throw new CamException(
                    "head '"
                            + model.headNames().get(head)
                            + "' does not depend on target layer '"
                            + layer
                            + "', which lies inside head '"
                            + model.headNames().get(owner)
                            + "'");
        }
        NDArray a = shared.get(layer);
        if (a == null) {
            throw new CamException("target layer '" + layer + "' was not reached by the forward pass");
        }
        return a;
    }

    /** True when {@code head} reads {@code layer} through an array no other head reads (always, for a lone head). */
    public boolean isHeadSpecific(LayerPath layer, int head) {
        Map<Integer, NDArray> views = perHead.get(layer);
        return views != null && views.containsKey(head) || model.owningHead(layer) == head || model.headNames().size() == 1;
    }
}
