package io.spotlight.trainer.data;

import ai.djl.training.dataset.Dataset.Usage;
import java.util.Locale;

/**
 * How a decoy patch is drawn: the construction of Decoy-MNIST in Ross et al., "Right for the Right
 * Reasons" (2017), a square patch in a corner whose grey shade is {@code 255 - 25 * label} at
 * training time and the shade of a random label at test time.
 *
 * @param patchSize side of the square patch in pixels (4 in the paper)
 * @param shade what the patch's shade encodes
 * @param position where the patch goes
 */
public record DecoyOptions(int patchSize, ShadeRule shade, PatchPosition position) {
    /** The patch side of the paper's construction. */
    public static final int DEFAULT_PATCH_SIZE = 4;

    /** What the patch's shade encodes. */
    public enum ShadeRule {
        /** The shade of the sample's own label: the shortcut (training, "label-decoy" test). */
        LABEL,
        /** The shade of a label drawn uniformly at random ("random-decoy" test). */
        RANDOM,
        /** No patch is drawn (its position is still chosen, so masks stay comparable). */
        NONE;

        /**
         * @param name {@code label}, {@code random} or {@code none}
         * @return the rule
         */
        public static ShadeRule parse(String name) {
            return valueOf(name.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }

    /** Where the patch goes, within the image (or the head's half of a two-item image). */
    public enum PatchPosition {
        /** One of the four corners, drawn per sample with the seed. */
        RANDOM_CORNER,
        /** Always the top-left corner. */
        TOP_LEFT,
        /** Always the top-right corner. */
        TOP_RIGHT,
        /** Always the bottom-left corner. */
        BOTTOM_LEFT,
        /** Always the bottom-right corner. */
        BOTTOM_RIGHT;

        /**
         * @param name e.g. {@code random-corner}, {@code top-left}
         * @return the position
         */
        public static PatchPosition parse(String name) {
            return valueOf(name.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }

    /**
     * @param patchSize side of the patch, at least 1
     * @param shade what the shade encodes
     * @param position where the patch goes
     */
    public DecoyOptions {
        if (patchSize < 1) {
            throw new IllegalArgumentException("patch size must be at least 1, got " + patchSize);
        }
    }

    /** @return the paper's training set: 4×4, shade of the label, random corner */
    public static DecoyOptions train() {
        return new DecoyOptions(DEFAULT_PATCH_SIZE, ShadeRule.LABEL, PatchPosition.RANDOM_CORNER);
    }

    /** @return the paper's test set ("random-decoy"): the shade of a random label */
    public static DecoyOptions randomDecoyTest() {
        return new DecoyOptions(DEFAULT_PATCH_SIZE, ShadeRule.RANDOM, PatchPosition.RANDOM_CORNER);
    }

    /** @return a test set that keeps the shortcut ("label-decoy"): the shade of the true label */
    public static DecoyOptions labelDecoyTest() {
        return train();
    }

    /**
     * @param usage the split
     * @return {@link #train()} for TRAIN, {@link #randomDecoyTest()} otherwise
     */
    public static DecoyOptions forUsage(Usage usage) {
        return usage == Usage.TRAIN ? train() : randomDecoyTest();
    }

    /**
     * @param size side of the patch
     * @return these options with another patch size
     */
    public DecoyOptions withPatchSize(int size) {
        return new DecoyOptions(size, shade, position);
    }

    /**
     * @param rule what the shade encodes
     * @return these options with another shade rule
     */
    public DecoyOptions withShade(ShadeRule rule) {
        return new DecoyOptions(patchSize, rule, position);
    }

    /**
     * @param where where the patch goes
     * @return these options with another position
     */
    public DecoyOptions withPosition(PatchPosition where) {
        return new DecoyOptions(patchSize, shade, where);
    }

    /**
     * The grey level that encodes a label, in [0, 1]: {@code (255 - 25 * label) / 255}.
     *
     * @param label in [0, 10]
     * @return the shade
     */
    public static float shadeOf(int label) {
        if (label < 0 || label > 10) {
            throw new IllegalArgumentException(
                    "the decoy shade encodes labels 0..10, not " + label);
        }
        return (255 - 25 * label) / 255f;
    }
}
