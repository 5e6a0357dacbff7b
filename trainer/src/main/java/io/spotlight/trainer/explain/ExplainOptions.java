package io.spotlight.trainer.explain;

/**
 * What to explain and how to draw it.
 *
 * @param method a CAM method name ({@code gradcam}, {@code gradcam++}, {@code xgradcam}, {@code
 *     layercam}, {@code hirescam}, {@code cam}, {@code scorecam})
 * @param target {@code pred} (the predicted class), {@code label} (from the file name, see {@link
 *     FileLabels}) or a class index
 * @param layer a layer alias of the model config ({@code conv1}) or a path ({@code trunk/3}); null
 *     for the run's {@code snapshot.layer}
 * @param colormap {@code jet} or {@code viridis}
 * @param combine {@code none}, or how a model's several heads are combined into one more overlay
 *     and table row: {@code mean}, {@code max} or {@code confidence}
 */
public record ExplainOptions(String method, String target, String layer, String colormap, String combine) {
    public static final String DEFAULT_METHOD = "gradcam";
    public static final String DEFAULT_TARGET = "pred";
    public static final String DEFAULT_COLORMAP = "jet";
    /**
     * No combined map unless asked for: each image's composite already shows all heads in one
     * picture, and a combined row would change the table scripts read.
     */
    public static final String DEFAULT_COMBINE = "none";

    /** Grad-CAM of the predicted class at the run's snapshot layer, in jet, no combined map. */
    public static ExplainOptions defaults() {
        return new ExplainOptions(DEFAULT_METHOD, DEFAULT_TARGET, null, DEFAULT_COLORMAP, DEFAULT_COMBINE);
    }

    public ExplainOptions withMethod(String m) {
        return new ExplainOptions(m, target, layer, colormap, combine);
    }

    public ExplainOptions withTarget(String t) {
        return new ExplainOptions(method, t, layer, colormap, combine);
    }

    public ExplainOptions withLayer(String l) {
        return new ExplainOptions(method, target, l, colormap, combine);
    }

    public ExplainOptions withColormap(String c) {
        return new ExplainOptions(method, target, layer, c, combine);
    }

    public ExplainOptions withCombine(String c) {
        return new ExplainOptions(method, target, layer, colormap, c);
    }
}
