package io.spotlight.cam;

/** How a penalty on a map reaches the parameters. */
public enum GradientMode {
    /**
     * Second order: the channel weights' dependence on the parameters and on the activations is
     * kept, so the penalty's gradient is the true gradient of the penalty. The default.
     */
    EXACT,
    /**
     * First order: channel weights are constants, gradients reach the parameters through the
     * activations only (what Captum-based implementations compute). Cheaper: no graph of the
     * gradient computation is built.
     */
    CONSTANT_WEIGHTS
}
