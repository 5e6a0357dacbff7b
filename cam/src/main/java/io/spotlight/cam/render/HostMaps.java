package io.spotlight.cam.render;

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
        SourceIndex[] ys = sourceIndices(inHeight, height);
        SourceIndex[] xs = sourceIndices(inWidth, width);
        float[][] out = new float[height][width];
        for (int y = 0; y < height; y++) {
            SourceIndex sy = ys[y];
            for (int x = 0; x < width; x++) {
                SourceIndex sx = xs[x];
                double top = map[sy.lo][sx.lo] * (1 - sx.frac) + map[sy.lo][sx.hi] * sx.frac;
                double bottom = map[sy.hi][sx.lo] * (1 - sx.frac) + map[sy.hi][sx.hi] * sx.frac;
                out[y][x] = (float) (top * (1 - sy.frac) + bottom * sy.frac);
            }
        }
        return out;
    }

    /** Resized to {@code height x width}, then normalised by its maximum: ready for a colormap. */
    static float[][] forDisplay(float[][] map, int height, int width) {
        return normalizeByMax(resizeBilinear(map, height, width));
    }

    private record SourceIndex(int lo, int hi, double frac) {}

    private static SourceIndex[] sourceIndices(int in, int out) {
        double scale = (double) in / out;
        SourceIndex[] indices = new SourceIndex[out];
        for (int i = 0; i < out; i++) {
            double src = Math.max(0, (i + 0.5) * scale - 0.5);
            int lo = Math.min((int) src, in - 1);
            int hi = Math.min(lo + 1, in - 1);
            indices[i] = new SourceIndex(lo, hi, src - lo);
        }
        return indices;
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
