package io.spotlight.cam.map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;
import io.spotlight.cam.CamException;

/**
 * Helpers on maps [B, h, w] (or any [..., h, w]): ReLU, per-sample normalisation, resizing, and
 * fitting masks to a layer's resolution. All are differentiable and keep the map's device and type.
 */
public final class CamMaps {
    /** Added to denominators: an all-zero map stays all zero instead of becoming NaN. */
    public static final double EPS = 1e-8;

    private CamMaps() {}

    /**
     * max(map, 0). PyTorch's relu, not a maximum with 0: the same values, but its backward is one
     * threshold where a maximum's also splits the gradient at ties (a map of exactly 0, common where
     * every channel of a ReLU layer is 0) and took ~8× as long on a [64, 7, 7] map in a profile of
     * the guided step (experiments/bench/RESULTS.md, session 13). At a tie its gradient is 0 (a maximum's: half).
     */
    public static NDArray relu(NDArray map) {
        return ai.djl.nn.Activation.relu(map);
    }

    /** Divides each sample's map by its maximum (plus {@link #EPS}); use on non-negative maps. */
    public static NDArray normalizeMax(NDArray map) {
        return map.div(spatial(map, true).maximum(0).add(EPS));
    }

    /** Scales each sample's map to [0, 1]; a constant map becomes all zero. */
    public static NDArray normalizeMinMax(NDArray map) {
        NDArray min = spatial(map, false);
        return map.sub(min).div(spatial(map, true).sub(min).add(EPS));
    }

    /**
     * Per-sample max (or min) over the last two axes, kept as size-1 axes. PtNDArray reduces max
     * and min over one axis only, so the spatial axes are flattened first.
     */
    public static NDArray spatial(NDArray map, boolean max) {
        Shape s = map.getShape();
        int d = s.dimension();
        NDArray flat = map.reshape(s.slice(0, d - 2).add(-1));
        NDArray r = max ? flat.max(new int[] {d - 2}, true) : flat.min(new int[] {d - 2}, true);
        return r.expandDims(d - 1);
    }

    /** Bilinear resize of the last two axes (torch's {@code align_corners=False}). */
    public static NDArray resize(NDArray map, long height, long width) {
        Shape s = map.getShape();
        int h = (int) s.get(s.dimension() - 2);
        int w = (int) s.get(s.dimension() - 1);
        if (h == height && w == width) {
            return map;
        }
        return apply(map, ResizeMatrices.bilinear(h, (int) height), ResizeMatrices.bilinear(w, (int) width));
    }

    /**
     * Fits masks given at input resolution ([B, 1, H, W] or [B, H, W]) to a map of size h × w by
     * area averaging: each map cell gets the share of its input pixels that the mask covers.
     *
     * @param what names the mask in error messages, e.g. "mask of head 'left'"
     */
    public static NDArray fitMask(NDArray mask, long batch, long height, long width, String what) {
        Shape s = mask.getShape();
        if (s.dimension() == 4) {
            if (s.get(1) != 1) {
                throw new CamException(what + " must have one channel, got shape " + s);
            }
            mask = mask.reshape(s.get(0), s.get(2), s.get(3));
            s = mask.getShape();
        }
        if (s.dimension() != 3 || s.get(0) != batch) {
            throw new CamException(
                    what + " must have shape [" + batch + ", 1, H, W] or [" + batch + ", H, W], got " + s);
        }
        if (s.get(1) < height || s.get(2) < width) {
            throw new CamException(
                    what + " of size " + s.get(1) + "x" + s.get(2) + " cannot be fitted to a "
                            + height + "x" + width + " map: masks are given at input resolution,"
                            + " which is never smaller than a layer's map");
        }
        if (s.get(1) == height && s.get(2) == width) {
            return mask;
        }
        return apply(mask, ResizeMatrices.area((int) s.get(1), (int) height), ResizeMatrices.area((int) s.get(2), (int) width));
    }

    /**
     * Grows the region where {@code mask} is positive by {@code radius} pixels (a max filter of
     * size 2·radius+1), e.g. a forbidden region by a layer's receptive field.
     */
    public static NDArray dilate(NDArray mask, int radius) {
        if (radius <= 0) {
            return mask;
        }
        Shape s = mask.getShape();
        NDArray four = mask.reshape(-1, 1, s.get(s.dimension() - 2), s.get(s.dimension() - 1));
        int k = 2 * radius + 1;
        NDArray grown =
                Pool.maxPool2d(four, new Shape(k, k), new Shape(1, 1), new Shape(radius, radius), false);
        return grown.reshape(s);
    }

    /** One map [h, w] copied to the host as rows, for rendering (float32). */
    public static float[][] toHostRows(NDArray map) {
        int h = (int) map.getShape().get(0);
        int w = (int) map.getShape().get(1);
        float[] flat = map.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
        float[][] rows = new float[h][w];
        for (int y = 0; y < h; y++) {
            System.arraycopy(flat, y * w, rows[y], 0, w);
        }
        return rows;
    }

    private static NDArray apply(NDArray x, double[][] rows, double[][] cols) {
        NDArray r = x.getManager().create(rows).toType(x.getDataType(), false).toDevice(x.getDevice(), false);
        NDArray c = x.getManager().create(cols).toType(x.getDataType(), false).toDevice(x.getDevice(), false);
        return r.matMul(x).matMul(c.transpose());
    }
}
