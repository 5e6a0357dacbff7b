package io.spotlight.trainer.data.folder;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Training-time augmentations applied identically to an image and its masks, so that a mask
 * keeps marking the same pixels: random crop of the image padded by {@code cropPadding} pixels,
 * then a horizontal flip with probability 1/2. The draws come from the sample's own generator, so
 * a sample is the same whatever order it is read in.
 *
 * @param flip whether to flip left-right with probability 1/2
 * @param cropPadding padding (pixels) of the random crop; 0 = no crop
 */
public record Augment(boolean flip, int cropPadding) {
    /** No augmentation. */
    public static final Augment NONE = new Augment(false, 0);

    /** Checks the padding. */
    public Augment {
        if (cropPadding < 0) {
            throw new IllegalArgumentException("crop_padding must be >= 0, got " + cropPadding);
        }
    }

    /** @return whether this changes anything */
    public boolean enabled() {
        return flip || cropPadding > 0;
    }

    /**
     * @param image the image
     * @param masks its masks (null entries = no mask, passed through)
     * @param random the sample's generator
     * @return the augmented image followed by the augmented masks, in order
     */
    List<Img> apply(Img image, List<Img> masks, SplittableRandom random) {
        List<Img> all = new ArrayList<>();
        all.add(image);
        all.addAll(masks);
        if (cropPadding > 0) {
            int top = random.nextInt(2 * cropPadding + 1);
            int left = random.nextInt(2 * cropPadding + 1);
            // Padding is black in the image and allowed in the masks: it carries no information,
            // so looking at it is not a shortcut worth penalising.
            all.replaceAll(m -> m == null ? null : m.padCrop(cropPadding, top, left, m == image ? 0f : 1f));
        }
        if (flip && random.nextBoolean()) {
            all.replaceAll(m -> m == null ? null : m.flipHorizontal());
        }
        return all;
    }
}
