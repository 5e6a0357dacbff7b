package io.spotlight.cam.render;

import io.spotlight.cam.map.ResizeMatrices;

/** Display preparation of CAM maps ({@code float[row][column]}): normalisation and resizing. */
public final class HostMaps {
    private HostMaps() {}

    /**
     * The map divided by its maximum, so the hottest cell is 1. Non-finite entries count as 0, and a
     * map whose maximum is not positive (all zero) comes back all zero rather than NaN.
     */
    public static float[][] normalizeByMax(float[][] map) {
        int height = heightOf(map);
        int width = widthOf(map);
        float max = 0;
        for (float[] row : map) {
            for (float v : row) {
                if (Float.isFinite(v) && v > max) {
                    max = v;
                }
            }
        }
        float[][] out = new float[height][width];
        if (max > 0) {
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    float v = map[y][x];
                    out[y][x] = Float.isFinite(v) ? v / max : 0;
                }
            }
        }
        return out;
    }

    /**
     * Bilinear resize to {@code height x width} with the semantics of {@code
     * torch.nn.functional.interpolate(mode="bilinear", align_corners=False)}: output pixel {@code i}
     * samples the source at {@code (i + 0.5) * in / out - 0.5}, clamped at the borders.
     */
    public static float[][] resizeBilinear(float[][] map, int height, int width) {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("target size must be positive, got " + height + "x" + width);
        }
        int inHeight = heightOf(map);
        int inWidth = widthOf(map);
        // rows = R_h · map · R_w^T with the device-side weights (torch align_corners=False)
        double[][] rh = ResizeMatrices.bilinear(inHeight, height);
        double[][] rw = ResizeMatrices.bilinear(inWidth, width);
        double[][] cols = new double[inHeight][width]; // map · R_w^T
        for (int y = 0; y < inHeight; y++) {
            for (int x = 0; x < width; x++) {
                double v = 0;
                for (int k = 0; k < inWidth; k++) {
                    v += map[y][k] * rw[x][k];
                }
                cols[y][x] = v;
            }
        }
        float[][] out = new float[height][width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double v = 0;
                for (int k = 0; k < inHeight; k++) {
                    v += rh[y][k] * cols[k][x];
                }
                out[y][x] = (float) v;
            }
        }
        return out;
    }

    /** Resized to {@code height x width}, then normalised by its maximum: ready for a colormap. */
    static float[][] forDisplay(float[][] map, int height, int width) {
        return normalizeByMax(resizeBilinear(map, height, width));
    }

    static int heightOf(float[][] map) {
        if (map == null || map.length == 0) {
            throw new IllegalArgumentException("map must have at least one row");
        }
        return map.length;
    }

    static int widthOf(float[][] map) {
        heightOf(map);
        int width = map[0] == null ? 0 : map[0].length;
        if (width == 0) {
            throw new IllegalArgumentException("map must have at least one column");
        }
        for (float[] row : map) {
            if (row == null || row.length != width) {
                throw new IllegalArgumentException("map rows must all have " + width + " columns");
            }
        }
        return width;
    }
}
