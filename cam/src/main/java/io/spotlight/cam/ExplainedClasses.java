package io.spotlight.cam;

import ai.djl.ndarray.NDArray;
import java.util.HashMap;
import java.util.Map;

/**
 * Each head's explained class per sample (int64 [B]), worked out by the head's target the first
 * time someone asks: reports, CAM and Score-CAM need them; a training step whose maps come from
 * gradients does not, and the target's range check costs two host reads per head.
 */
final class ExplainedClasses {
    private final Map<String, NDArray> outputs;
    private final Map<String, NDArray> labels;
    private final CamRequest request;
    private final Map<String, NDArray> cache = new HashMap<>();

    ExplainedClasses(Map<String, NDArray> outputs, Map<String, NDArray> labels, CamRequest request) {
        this.outputs = outputs;
        this.labels = labels;
        this.request = request;
    }

    /** The head's classes, or null for a target that is not a class. */
    synchronized NDArray get(String head) {
        if (!cache.containsKey(head)) {
            cache.put(head, request.target(head).classes(outputs.get(head), labels.get(head), head));
        }
        return cache.get(head);
    }
}
