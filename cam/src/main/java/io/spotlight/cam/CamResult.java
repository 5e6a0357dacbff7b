package io.spotlight.cam;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.Map;

/**
 * The maps of one batch: per head and layer the raw map [B, h, w] (differentiable in the
 * parameters when computed inside a training step), plus each head's output, explained classes and
 * their probabilities.
 */
public final class CamResult {
    private final List<String> heads;
    private final List<String> layers;
    private final Map<String, NDArray> outputs;
    private final Map<String, Map<String, LayerMap>> maps;
    private final ExplainedClasses classes;
    /** Filled on first use: a training step never reads them, explanations and snapshots do. */
    private final Map<String, NDArray> probabilities = new java.util.HashMap<>();

    CamResult(
            List<String> heads,
            List<String> layers,
            Map<String, NDArray> outputs,
            Map<String, Map<String, LayerMap>> maps,
            ExplainedClasses classes) {
        this.heads = heads;
        this.layers = layers;
        this.outputs = outputs;
        this.maps = maps;
        this.classes = classes;
    }

    public List<String> heads() {
        return heads;
    }

    public List<String> layers() {
        return layers;
    }

    /** The head's output (logits), from the same forward pass as the maps. */
    public NDArray output(String head) {
        return get(outputs, head, "output");
    }

    /** The raw map [B, h, w] of {@code head} at {@code layer} (no ReLU, no normalisation). */
    public NDArray map(String head, String layer) {
        return entry(head, layer).map();
    }

    /** The channel weights that made the map (detached): [B, K, 1, 1] or [B, K, h, w]. */
    public NDArray weights(String head, String layer) {
        return entry(head, layer).weights();
    }

    /** The layer's activations [B, K, h, w] as the head read them (in the graph). */
    public NDArray activations(String head, String layer) {
        return entry(head, layer).activations();
    }

    private LayerMap entry(String head, String layer) {
        LayerMap m = get(maps, head, "map").get(layer);
        if (m == null) {
            throw new CamException("no map for layer '" + layer + "'; computed layers are " + layers);
        }
        return m;
    }

    /** One head's map at one layer, with what made it. */
    record LayerMap(NDArray map, NDArray weights, NDArray activations) {}

    /** The explained class per sample (int64 [B]), or null for a non-class target. */
    public NDArray classes(String head) {
        get(outputs, head, "classes"); // names the computed heads when asked for another
        return classes.get(head);
    }

    /** Softmax probability of the explained class per sample [B], detached; null for non-class targets. */
    public synchronized NDArray probabilities(String head) {
        NDArray cls = classes(head);
        if (cls == null) {
            return null;
        }
        return probabilities.computeIfAbsent(head, h -> {
            NDArray p = output(h).stopGradient().softmax(1);
            return p.gather(cls.reshape(-1, 1), 1).reshape(-1);
        });
    }

    private <T> T get(Map<String, T> byHead, String head, String what) {
        T value = byHead.get(head);
        if (value == null) {
            throw new CamException("no " + what + " for head '" + head + "'; computed heads are " + heads);
        }
        return value;
    }
}
