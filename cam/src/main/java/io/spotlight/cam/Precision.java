package io.spotlight.cam;

import java.util.Locale;

/**
 * The number format of a map's own arithmetic (the method's weights and the weighted channel sum,
 * and their part of the backward). {@link #BF16} rounds the layer's activations and gradients to
 * bfloat16 (8 significant bits, float32's range), rounds the weights and the map too, all in the
 * activations' type (emulated: this DJL build has no bfloat16 tensors, see {@link Bf16}), so the
 * penalty's reductions and everything outside the map keep full precision. The model's forward and the gradients d(score)/dA stay in the model's type: they are
 * the cross-entropy's own forward and backward (one forward per guided step).
 */
public enum Precision {
    FP32,
    BF16;

    /** The config spelling: {@code fp32} or {@code bf16}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** From the config spelling; callers check the value against {@link #configName()}s first. */
    public static Precision of(String configName) {
        return valueOf(configName.toUpperCase(Locale.ROOT));
    }
}
