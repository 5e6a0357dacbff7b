package io.spotlight.trainer.data;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * A batch unpacked by {@link BatchLayout}: the images and, per head, labels, allowed masks and
 * has-mask flags. The arrays belong to the DJL batch they came from: closing the batch closes them.
 *
 * @param heads the heads, in order
 * @param images {@code [B, C, H, W]} float32 in [0, 1]
 * @param labels per head: {@code [B]} int32
 * @param allowedMasks per head: {@code [B, 1, H, W]} float32, 1 = allowed, 0 = forbidden
 * @param hasMask per head: {@code [B]} float32, 0 = no mask (the penalty must contribute nothing)
 */
public record GuidedBatch(
        List<Head> heads,
        NDArray images,
        List<NDArray> labels,
        List<NDArray> allowedMasks,
        List<NDArray> hasMask) {

    /** @return the batch size B */
    public long size() {
        return images.getShape().get(0);
    }

    /**
     * @param head a head's name
     * @return its labels {@code [B]}
     */
    public NDArray label(String head) {
        return labels.get(indexOf(head));
    }

    /**
     * @param head a head's name
     * @return its allowed masks {@code [B, 1, H, W]}
     */
    public NDArray allowedMask(String head) {
        return allowedMasks.get(indexOf(head));
    }

    /**
     * @param head a head's name
     * @return its has-mask flags {@code [B]}
     */
    public NDArray hasMask(String head) {
        return hasMask.get(indexOf(head));
    }

    private int indexOf(String head) {
        for (int h = 0; h < heads.size(); h++) {
            if (heads.get(h).name().equals(head)) {
                return h;
            }
        }
        throw new IllegalArgumentException(
                "no head '" + head + "'; heads are " + heads.stream().map(Head::name).toList());
    }
}
