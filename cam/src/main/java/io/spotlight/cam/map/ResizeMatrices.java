package io.spotlight.cam.map;

/**
 * Interpolation as matrices, so that resizing is two matrix products: differentiable, exact, and
 * on whatever device the map lives. Host-side rendering uses the same weights, so a map looks the
 * same whether resized on the device or for display.
 */
public final class ResizeMatrices {
    private ResizeMatrices() {}

    /**
     * Bilinear weights [out, in] with the semantics of {@code torch.nn.functional.interpolate(...,
     * mode='bilinear', align_corners=False)} along one axis.
     */
    public static double[][] bilinear(int in, int out) {
        double[][] r = new double[out][in];
        double scale = (double) in / out;
        for (int i = 0; i < out; i++) {
            double src = Math.max((i + 0.5) * scale - 0.5, 0);
            int i0 = Math.min((int) Math.floor(src), in - 1);
            int i1 = Math.min(i0 + 1, in - 1);
            double frac = src - i0;
            r[i][i0] += 1 - frac;
            r[i][i1] += frac;
        }
        return r;
    }

    /**
     * Area-averaging weights [out, in] like {@code adaptive_avg_pool}: output cell {@code i} is the
     * mean of input cells {@code floor(i*in/out) .. ceil((i+1)*in/out) - 1}.
     */
    static double[][] area(int in, int out) {
        double[][] r = new double[out][in];
        for (int i = 0; i < out; i++) {
            int start = (int) Math.floor((double) i * in / out);
            int end = (int) Math.ceil((double) (i + 1) * in / out);
            for (int j = start; j < end; j++) {
                r[i][j] = 1.0 / (end - start);
            }
        }
        return r;
    }
}
