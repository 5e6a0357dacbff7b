package io.spotlight.cam.map;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * pytorch-grad-cam's {@code aug_smooth}: test-time augmentation with ttach's horizontal flip ×
 * multiplication of the input by 0.9, 1 and 1.1; each augmented input's map (at input resolution,
 * in [0, 1]) is flipped back and the six are averaged. Costs six CAM passes; post hoc.
 */
public final class AugSmooth {
    public static final List<Double> FACTORS = List.of(0.9, 1.0, 1.1);

    private AugSmooth() {}

    /**
     * @param input [B, C, H, W]
     * @param maps the maps [B, H, W] of an input
     */
    public static NDArray mean(NDArray input, UnaryOperator<NDArray> maps) {
        NDArray sum = null;
        for (boolean flip : new boolean[] {false, true}) {
            for (double factor : FACTORS) {
                NDArray x = (flip ? input.flip(3) : input).mul(factor);
                NDArray m = maps.apply(x);
                m = flip ? m.flip(m.getShape().dimension() - 1) : m;
                sum = sum == null ? m : sum.add(m);
            }
        }
        return sum.div(2 * FACTORS.size());
    }
}
