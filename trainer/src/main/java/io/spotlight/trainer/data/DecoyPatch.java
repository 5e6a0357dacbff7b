package io.spotlight.trainer.data;

import java.util.SplittableRandom;

/**
 * One decoy patch placed in one image: where it is and its shade.
 *
 * @param top first row
 * @param left first column
 * @param size side in pixels
 * @param shadeLabel the label whose shade it has, or -1 when no patch is drawn
 */
record DecoyPatch(int top, int left, int size, int shadeLabel) {

    /**
     * Places a patch in a corner of a region, drawing from {@code random} always the same two
     * numbers (corner, random label) whatever the options, so that train, random-decoy and
     * label-decoy variants of a sample put the patch in the same corner.
     *
     * @param options the decoy options
     * @param random the sample's own generator
     * @param label the true label of the item the patch belongs to
     * @param numClasses the number of classes a random shade is drawn from
     * @param regionLeft first column of the region (0, or 28 for the right half of two items)
     * @param regionWidth width of the region
     * @param regionHeight height of the region (which starts at row 0)
     * @return the patch
     */
    static DecoyPatch place(
            DecoyOptions options,
            SplittableRandom random,
            int label,
            int numClasses,
            int regionLeft,
            int regionWidth,
            int regionHeight) {
        int size = options.patchSize();
        if (size > regionWidth || size > regionHeight) {
            throw new IllegalArgumentException(
                    "a " + size + "×" + size + " patch does not fit a " + regionHeight + "×"
                            + regionWidth + " region");
        }
        int drawnCorner = random.nextInt(4);
        int randomLabel = random.nextInt(numClasses);
        int corner =
                switch (options.position()) {
                    case RANDOM_CORNER -> drawnCorner;
                    case TOP_LEFT -> 0;
                    case TOP_RIGHT -> 1;
                    case BOTTOM_LEFT -> 2;
                    case BOTTOM_RIGHT -> 3;
                };
        int top = corner < 2 ? 0 : regionHeight - size;
        int left = regionLeft + (corner % 2 == 0 ? 0 : regionWidth - size);
        int shadeLabel =
                switch (options.shade()) {
                    case LABEL -> label;
                    case RANDOM -> randomLabel;
                    case NONE -> -1;
                };
        return new DecoyPatch(top, left, size, shadeLabel);
    }

    /** @return whether a patch is drawn */
    boolean drawn() {
        return shadeLabel >= 0;
    }

    /** @return the grey level in [0, 1] (only if drawn) */
    float shade() {
        return DecoyOptions.shadeOf(shadeLabel);
    }

    /**
     * @param y row
     * @param x column
     * @return whether the pixel is under the patch
     */
    boolean covers(int y, int x) {
        return y >= top && y < top + size && x >= left && x < left + size;
    }

    /**
     * Overwrites the patch's pixels with its shade (one-channel image), if it is drawn.
     *
     * @param image row-major pixels
     * @param width the image's width
     */
    void paint(float[] image, int width) {
        if (drawn()) {
            fill(image, width, shade());
        }
    }

    /**
     * Marks the patch as forbidden (0) in a mask, drawn or not.
     *
     * @param mask row-major mask
     * @param width the mask's width
     */
    void forbid(float[] mask, int width) {
        fill(mask, width, 0f);
    }

    private void fill(float[] pixels, int width, float value) {
        for (int y = top; y < top + size; y++) {
            for (int x = left; x < left + size; x++) {
                pixels[y * width + x] = value;
            }
        }
    }
}
