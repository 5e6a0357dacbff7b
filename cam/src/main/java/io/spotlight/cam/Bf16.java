package io.spotlight.cam;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;

/**
 * bfloat16's rounding in float32 (or float64) storage. DJL 0.35.1's PyTorch JNI cannot hold a
 * bfloat16 tensor: {@code toType(DataType.BFLOAT16)} and {@code zeros(shape, BFLOAT16)} end the JVM
 * in native code ({@code terminate called without an active exception}; DJL passes the enum's
 * ordinal, 11, which its native type switch does not know), so it cannot be tried and caught. A
 * value is instead rounded to the nearest bfloat16 (8 significant bits, ties to even, float32's
 * exponent range): the numbers a bfloat16 computation sees, without its memory saving.
 */
public final class Bf16 {
    /** What the log says once per process when {@code precision = bf16} is used. */
    public static final String WHY_EMULATED = "DJL 0.35.1's PyTorch JNI has no bfloat16 tensors (DataType.BFLOAT16 "
            + "aborts the JVM in native code), so the maps are rounded to bfloat16 in float32 storage: bfloat16's "
            + "numerics, not its memory or speed";
    /** bfloat16 keeps 7 stored + 1 implicit significant bits. */
    private static final int BITS = 8;

    private Bf16() {}

    /**
     * {@code x} rounded to the nearest bfloat16 (null stays null), with the gradient passed
     * straight through (d round(x)/dx taken as 1, as a cast's backward does).
     */
    public static NDArray round(NDArray x) {
        if (x == null) {
            return null;
        }
        NDArray v = x.stopGradient();
        NDArray ax = v.abs().maximum(Float.MIN_NORMAL);
        NDArray e = ax.log2().floor();
        // log2 of a value just below a power of two can round up to it: correct the exponent so
        // that 2^e <= |x| < 2^(e+1) exactly
        NDArray two = ax.onesLike().mul(2);
        e = e.sub(ax.lt(two.pow(e)).toType(ax.getDataType(), false));
        e = e.add(ax.gte(two.pow(e.add(1))).toType(ax.getDataType(), false));
        NDArray quantum = two.pow(e.sub(BITS - 1)); // the spacing of bfloat16 values in [2^e, 2^(e+1))
        NDArray rounded = v.div(quantum).round().mul(quantum); // round(): ties to even, like the hardware
        NDArray shift = rounded.sub(v); // detached: the gradient of x goes straight through
        // an infinity stays itself (inf - inf would make it NaN); values above bfloat16's largest
        // round to infinity, as a cast does
        shift = NDArrays.where(v.isInfinite(), shift.zerosLike(), shift);
        return x.add(shift);
    }
}
