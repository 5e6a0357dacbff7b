package io.spotlight.losses;

import ai.djl.ndarray.NDArray;
import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The raw penalty per {@code "term/head"}, read from each term's vector of per-head penalties
 * only when someone asks (the trainer logs them every few steps): slicing on every step would cost
 * an op per head for nothing.
 */
final class SlicedPenalties extends AbstractMap<String, NDArray> {
    private final Map<String, NDArray> vectors;
    private final Map<String, List<String>> heads;
    private Set<Entry<String, NDArray>> entries;

    /**
     * @param vectors per term, its penalties [H] for the heads it guides
     * @param heads per term, those heads in the vector's order
     */
    SlicedPenalties(Map<String, NDArray> vectors, Map<String, List<String>> heads) {
        this.vectors = vectors;
        this.heads = heads;
    }

    @Override
    public synchronized Set<Entry<String, NDArray>> entrySet() {
        if (entries == null) {
            Map<String, NDArray> sliced = new LinkedHashMap<>();
            vectors.forEach((term, v) -> {
                List<String> h = heads.get(term);
                for (int i = 0; i < h.size(); i++) {
                    sliced.put(term + "/" + h.get(i), v.get(i));
                }
            });
            entries = Collections.unmodifiableMap(sliced).entrySet();
        }
        return entries;
    }
}
