package io.spotlight.trainer.explain;

import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import io.spotlight.cam.CamException;
import io.spotlight.cam.fullgrad.FullGrad;
import io.spotlight.cam.map.HeadCombiner;
import io.spotlight.cam.method.CamMethod;
import io.spotlight.cam.method.CamMethods;
import io.spotlight.cam.model.LayerPath;
import io.spotlight.cam.render.Colormap;
import io.spotlight.cam.render.Colormaps;
import io.spotlight.cam.target.CamTarget;
import io.spotlight.cam.target.Targets;
import io.spotlight.trainer.data.Head;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checks {@link ExplainOptions} against a loaded run before any image is read, and turns them into
 * the CAM code's objects. Every error names the option, the value and the valid choices.
 */
final class ExplainSetup {
    /** The run config key whose layer {@code explain} uses by default. */
    static final String DEFAULT_LAYER_KEY = "snapshot.layer";

    final CamMethod method;
    final CamTarget target;
    final boolean needsLabels;
    /** The layer as the model resolves it (alias replaced by its path); several joined by commas. */
    final String layer;
    /** The layers, resolved; several are combined as pytorch-grad-cam does ({@link io.spotlight.cam.map.LayerCombination}). */
    final List<String> layers;
    /** {@code guidedbackprop} or {@code guidedgradcam}, or null for a CAM method. */
    final String guided;
    static final List<String> GUIDED = List.of("guidedbackprop", "guidedgradcam");
    /**
     * FullGrad over every bias layer, or over those of {@code --layer}; null for other methods. Its
     * maps are made beside a Grad-CAM pass at the run's snapshot layer, like guided backpropagation's.
     */
    final FullGrad fullGrad;
    /** pytorch-grad-cam's aug_smooth ({@link io.spotlight.cam.map.AugSmooth}). */
    final boolean augSmooth;
    final Colormap colormap;
    /** The heads' combination for one more overlay and row, or null: none asked for, or one head only. */
    final HeadCombiner combine;

    ExplainSetup(RunModel run, ExplainOptions options) {
        this(run, options, false);
    }

    /** True when the maps are made at input resolution from several layers or augmented inputs, not read off one layer. */
    boolean derivedMaps() {
        return layers.size() > 1 || augSmooth || guided != null || fullGrad != null;
    }

    ExplainSetup(RunModel run, ExplainOptions options, boolean augSmooth) {
        String name = options.method() == null ? ExplainOptions.DEFAULT_METHOD : options.method().trim();
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        if (lower.endsWith(CamMethods.EIGEN_SMOOTH)
                && CamMethods.WHOLE_MODEL.contains(lower.substring(0, lower.length() - CamMethods.EIGEN_SMOOTH.length()))) {
            throw new ExplainException("--eigen-smooth projects one layer's weighted activations; "
                    + name.substring(0, name.length() - CamMethods.EIGEN_SMOOTH.length()) + " has none (drop --eigen-smooth)");
        }
        this.guided = GUIDED.contains(name) ? name : null;
        boolean fullGradAsked = name.equals(FullGrad.NAME);
        // guided backpropagation and FullGrad read no single layer; their maps are made beside a
        // Grad-CAM pass, which gives the classes and probabilities (and Guided Grad-CAM's map)
        this.method = method(guided != null || fullGradAsked ? "gradcam" : name);
        this.colormap = colormap(options.colormap());
        this.target = target(options.target(), run.heads());
        this.needsLabels = options.target() != null && options.target().trim().equals("label");
        List<String> resolved = new ArrayList<>();
        // FullGrad's --layer names its bias layers; its Grad-CAM pass stays at the default layer
        String[] requested = options.layer() == null || fullGradAsked ? new String[] {null} : options.layer().split(",");
        for (String l : requested) {
            resolved.add(layer(run, l == null ? null : l.trim()));
        }
        this.layers = List.copyOf(resolved);
        this.fullGrad = fullGradAsked ? fullGrad(run, options.layer()) : null;
        this.layer = fullGrad != null ? String.join(",", fullGrad.layers()) : String.join(",", layers);
        this.augSmooth = augSmooth;
        HeadCombiner c = combine(options.combine());
        if (c != null && derivedMaps() && run.heads().size() > 1) {
            throw new ExplainException("--combine combines one layer's maps; it cannot be used with several layers (--layer "
                    + layer + "), --aug-smooth, guided backpropagation or fullgrad");
        }
        // one head's combination is that head again: no column or row that repeats it
        this.combine = run.heads().size() > 1 ? c : null;
        if (method.name().equals("cam")) {
            checkCamHeads(run);
        }
    }

    private static CamMethod method(String name) {
        try {
            return CamMethods.byName(name == null ? ExplainOptions.DEFAULT_METHOD : name);
        } catch (CamException e) {
            throw new ExplainException("--method: " + e.getMessage() + "; or guidedbackprop, guidedgradcam, fullgrad", e);
        }
    }

    /**
     * FullGrad over every bias layer, or over the comma list {@code layers} (aliases or paths), each
     * of which must be a Conv2d with a bias or a BatchNorm.
     */
    private static FullGrad fullGrad(RunModel run, String layers) {
        if (layers == null) {
            try {
                return new FullGrad(run.camModel());
            } catch (CamException e) {
                throw new ExplainException("--method fullgrad: " + e.getMessage() + " (--layer names them)", e);
            }
        }
        List<String> paths = new ArrayList<>();
        for (String l : layers.split(",")) {
            paths.add(layer(run, l.trim()));
        }
        try {
            return new FullGrad(run.camModel(), paths);
        } catch (CamException e) {
            throw new ExplainException("--layer " + layers + ": " + e.getMessage(), e);
        }
    }

    private static HeadCombiner combine(String name) {
        try {
            return HeadCombiner.byNameOrNone(name == null ? ExplainOptions.DEFAULT_COMBINE : name).orElse(null);
        } catch (CamException e) {
            throw new ExplainException("--combine: " + e.getMessage(), e);
        }
    }

    private static Colormap colormap(String name) {
        try {
            return Colormaps.byName(name == null ? ExplainOptions.DEFAULT_COLORMAP : name);
        } catch (IllegalArgumentException e) {
            throw new ExplainException("--colormap: " + e.getMessage(), e);
        }
    }

    private static CamTarget target(String spec, List<Head> heads) {
        String s = spec == null ? ExplainOptions.DEFAULT_TARGET : spec.trim();
        if (s.equals("pred") || s.equals("label")) {
            return s.equals("pred") ? Targets.predicted() : Targets.label();
        }
        int k;
        try {
            k = Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new ExplainException("--target: unknown target '" + spec + "'; expected pred, label or a class index");
        }
        for (Head h : heads) {
            if (k < 0 || k >= h.numClasses()) {
                throw new ExplainException("--target: class " + k + " is out of range for head '" + h.name()
                        + "', which has classes 0.." + (h.numClasses() - 1));
            }
        }
        return Targets.fixedClass(k);
    }

    private static String layer(RunModel run, String requested) {
        Map<String, String> aliases = run.built().layers();
        String name = requested;
        if (name == null) {
            // the layer the run's own snapshots used: the one its guidance was judged by
            name = run.config().has(DEFAULT_LAYER_KEY) ? run.config().getString(DEFAULT_LAYER_KEY)
                    : aliases.keySet().stream().findFirst().orElse("trunk");
        }
        String path = run.built().layer(name);
        try {
            LayerPath resolved = run.camModel().layer(path);
            return resolved.name();
        } catch (CamException e) {
            List<String> choices = new ArrayList<>();
            new TreeMap<>(aliases).forEach((alias, p) -> choices.add(alias + "=" + p));
            throw new ExplainException("--layer: unknown layer '" + name + "'; valid choices: the aliases "
                    + String.join(", ", choices) + ", or a path into the model (" + e.getMessage() + ")", e);
        }
    }

    /**
     * CAM reads its channel weights off a head's single Linear layer behind global average
     * pooling; on any other head (the small CNN's flatten + MLP) the weights do not exist, so this
     * is a setup error rather than one per image.
     */
    private static void checkCamHeads(RunModel run) {
        List<String> heads = run.camModel().headNames();
        for (int h = 0; h < heads.size(); h++) {
            Block head = run.camModel().headBlock(h);
            List<Linear> linears = new ArrayList<>();
            collectLinear(head == null ? run.camModel().block() : head, linears);
            if (linears.size() != 1) {
                throw new ExplainException("--method cam needs every head to be global average pooling + one Linear layer"
                        + " (CAM's channel weights are that layer's weights), but head '" + heads.get(h) + "' has "
                        + linears.size() + " Linear layers (a flatten + MLP head has no CAM weights); use gradcam or"
                        + " hirescam, which need no particular head");
            }
        }
    }

    private static void collectLinear(Block block, List<Linear> found) {
        if (block instanceof Linear) {
            found.add((Linear) block);
        }
        for (Block child : block.getChildren().values()) {
            collectLinear(child, found);
        }
    }
}
