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
 */
public record ExplainOptions(String method, String target, String layer, String colormap) {
    public static final String DEFAULT_METHOD = "gradcam";
    public static final String DEFAULT_TARGET = "pred";
    public static final String DEFAULT_COLORMAP = "jet";

    /** Grad-CAM of the predicted class at the run's snapshot layer, in jet. */
    public static ExplainOptions defaults() {
        return new ExplainOptions(DEFAULT_METHOD, DEFAULT_TARGET, null, DEFAULT_COLORMAP);
    }

    public ExplainOptions withMethod(String m) {
        return new ExplainOptions(m, target, layer, colormap);
    }

    public ExplainOptions withTarget(String t) {
        return new ExplainOptions(method, t, layer, colormap);
    }

    public ExplainOptions withLayer(String l) {
        return new ExplainOptions(method, target, l, colormap);
    }

    public ExplainOptions withColormap(String c) {
        return new ExplainOptions(method, target, layer, c);
    }
}
