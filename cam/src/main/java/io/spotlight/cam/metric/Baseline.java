package io.spotlight.cam.metric;

import ai.djl.ndarray.NDArray;
import io.spotlight.cam.CamException;
import java.util.Locale;

/** What a removed pixel becomes in the deletion and insertion curves. */
public enum Baseline {
    /** 0 in every channel. */
    ZERO,
    /** The image's own mean per channel. */
    MEAN,
    /** The image blurred by a Gaussian (RISE's: sigma 5 px, 11 × 11 kernel, renormalised at the borders). */
    BLUR;

    static final double BLUR_SIGMA = 5;
    static final int BLUR_RADIUS = 5;

    public static Baseline parse(String name, String key) {
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new CamException(key + ": unknown baseline '" + name + "'; expected zero, mean or blur");
        }
    }

    /** The baseline of images [B, C, H, W]. */
    public NDArray of(NDArray images) {
        switch (this) {
            case ZERO:
                return images.zerosLike();
            case MEAN:
                return io.spotlight.cam.method.CamContext.spatialMean(images).broadcast(images.getShape());
            default:
                long h = images.getShape().get(2);
                long w = images.getShape().get(3);
                NDArray rows = blurMatrix(images, (int) h);
                NDArray cols = blurMatrix(images, (int) w);
                return rows.matMul(images).matMul(cols.transpose());
        }
    }

    private static NDArray blurMatrix(NDArray like, int n) {
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int j = Math.max(0, i - BLUR_RADIUS); j <= Math.min(n - 1, i + BLUR_RADIUS); j++) {
                m[i][j] = Math.exp(-(i - j) * (i - j) / (2 * BLUR_SIGMA * BLUR_SIGMA));
                sum += m[i][j];
            }
            for (int j = 0; j < n; j++) {
                m[i][j] /= sum;
            }
        }
        return like.getManager().create(m).toType(like.getDataType(), false).toDevice(like.getDevice(), false);
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
