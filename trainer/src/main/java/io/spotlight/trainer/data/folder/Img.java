package io.spotlight.trainer.data.folder;

/**
 * A decoded image or mask in Java arrays: {@code channels*height*width} floats, channel-major then
 * row-major (the layout of a DJL {@code [C, H, W]} array). The geometric operations here are the
 * ones augmentations use; each returns a new image, so that an image and its masks can be put
 * through the same operation with the same parameters.
 *
 * @param channels C
 * @param height H
 * @param width W
 * @param pixels the values
 */
record Img(int channels, int height, int width, float[] pixels) {
    /** Checks the array length. */
    Img {
        if (pixels.length != channels * height * width) {
            throw new IllegalArgumentException(
                    pixels.length + " floats for " + channels + "x" + height + "x" + width);
        }
    }

    /** @return {@code HxW}, for messages */
    String size() {
        return width + "x" + height;
    }

    float at(int c, int y, int x) {
        return pixels[(c * height + y) * width + x];
    }

    /** @return the image mirrored left-right */
    Img flipHorizontal() {
        float[] out = new float[pixels.length];
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < height; y++) {
                int row = (c * height + y) * width;
                for (int x = 0; x < width; x++) {
                    out[row + x] = pixels[row + width - 1 - x];
                }
            }
        }
        return new Img(channels, height, width, out);
    }

    /**
     * The {@code height x width} window whose top-left corner is at {@code (top, left)} of the
     * image padded by {@code pad} pixels of value {@code fill} on every side.
     */
    Img padCrop(int pad, int top, int left, float fill) {
        float[] out = new float[pixels.length];
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < height; y++) {
                int sy = y + top - pad;
                for (int x = 0; x < width; x++) {
                    int sx = x + left - pad;
                    boolean inside = sy >= 0 && sy < height && sx >= 0 && sx < width;
                    out[(c * height + y) * width + x] = inside ? at(c, sy, sx) : fill;
                }
            }
        }
        return new Img(channels, height, width, out);
    }

    /**
     * Bilinear resize (pixel centres aligned, as in PIL and torch with align_corners=false).
     * Masks go through the same interpolation as images so that both see the same geometry;
     * {@link #binarize()} then makes a mask 0/1 again.
     */
    Img resize(int newHeight, int newWidth) {
        if (newHeight == height && newWidth == width) {
            return this;
        }
        float[] out = new float[channels * newHeight * newWidth];
        double sy = (double) height / newHeight;
        double sx = (double) width / newWidth;
        for (int y = 0; y < newHeight; y++) {
            double fy = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), height - 1);
            int y0 = (int) fy;
            int y1 = Math.min(y0 + 1, height - 1);
            double wy = fy - y0;
            for (int x = 0; x < newWidth; x++) {
                double fx = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), width - 1);
                int x0 = (int) fx;
                int x1 = Math.min(x0 + 1, width - 1);
                double wx = fx - x0;
                for (int c = 0; c < channels; c++) {
                    double top = at(c, y0, x0) * (1 - wx) + at(c, y0, x1) * wx;
                    double bottom = at(c, y1, x0) * (1 - wx) + at(c, y1, x1) * wx;
                    out[(c * newHeight + y) * newWidth + x] = (float) (top * (1 - wy) + bottom * wy);
                }
            }
        }
        return new Img(channels, newHeight, newWidth, out);
    }

    /** @return 1 where the value is at least 0.5, else 0 (masks stay binary after a resize) */
    Img binarize() {
        float[] out = new float[pixels.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = pixels[i] >= 0.5f ? 1f : 0f;
        }
        return new Img(channels, height, width, out);
    }
}
