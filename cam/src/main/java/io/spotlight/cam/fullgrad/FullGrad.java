package io.spotlight.cam.fullgrad;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.spotlight.cam.CamException;
import io.spotlight.cam.autograd.Autograd;
import io.spotlight.cam.map.CamMaps;
import io.spotlight.cam.model.CamModel;
import io.spotlight.cam.model.LayerPath;
import io.spotlight.cam.model.Taps;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * FullGrad (Srinivas and Fleuret 2019) as pytorch-grad-cam's {@code FullGrad} computes it, per
 * head: the input-gradient term {@code |∂s/∂x ⊙ x|} plus, for every layer with a bias ({@link
 * BiasLayer}), {@code |∂s/∂z ⊙ b|} with z the layer's output; each channel's map min-max
 * normalised per sample and upsampled to the input, all summed, then min-max normalised again
 * ([B, H, W] in [0, 1]).
 *
 * <p>Because every channel is normalised on its own, a bias enters only through being zero or not
 * (|b_k| scales channel k's map, which the normalisation undoes); so does BatchNorm's effective bias.
 *
 * <p>Not a {@link io.spotlight.cam.method.CamMethod}: it weighs no channels of one layer, it reads
 * the input and every bias layer at once. Post hoc only (eval mode, detached): a training penalty
 * reads one method at one layer, and this map would need a second-order backward through every
 * bias layer and the input each step.
 */
public final class FullGrad {
    public static final String NAME = "fullgrad";

    private final CamModel model;
    private final List<BiasLayer> layers;

    /** Over every bias layer of the model, as pytorch-grad-cam does (it ignores target layers). */
    public FullGrad(CamModel model) {
        this.model = model;
        this.layers = BiasLayer.all(model);
    }

    /** Over the named bias layers only (layer names or paths of the model). */
    public FullGrad(CamModel model, List<String> layerNames) {
        this.model = model;
        this.layers = BiasLayer.named(model, layerNames);
    }

    /** The bias layers used, as the model resolves them. */
    public List<String> layers() {
        return layers.stream().map(l -> l.path().name()).toList();
    }

    /** The terms before they are summed: each [B, H, W], the sum of its normalised channels. */
    public record Terms(NDArray input, Map<String, NDArray> biases) {
        /** FullGrad's map: the terms summed, min-max normalised per sample. */
        public NDArray map() {
            NDArray sum = input;
            for (NDArray b : biases.values()) {
                sum = sum.add(b);
            }
            return CamMaps.normalizeMinMax(sum);
        }
    }

    /**
     * FullGrad's map [B, H, W] of {@code head}'s logit of {@code classes} (int64 [B]) at {@code
     * input} [B, C, H, W], eval mode, detached.
     */
    public NDArray map(ParameterStore ps, NDArray input, String head, NDArray classes) {
        return terms(ps, input, head, classes).map();
    }

    /**
     * The terms of {@link #map}; a bias layer inside another head than {@code head} does not reach
     * its output and gives no term.
     */
    public Terms terms(ParameterStore ps, NDArray input, String head, NDArray classes) {
        if (JniUtils.isGradMode()) {
            return run(ps, input, head, classes);
        }
        try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
            return run(ps, input, head, classes);
        }
    }

    private Terms run(ParameterStore ps, NDArray input, String head, NDArray classes) {
        int h = model.headIndex(head);
        List<BiasLayer> used = new ArrayList<>();
        for (BiasLayer l : layers) {
            int owner = model.owningHead(l.path());
            if (owner < 0 || owner == h) {
                used.add(l);
            }
        }
        NDArray x = input.stopGradient().duplicate();
        x.setRequiresGradient(true);
        List<LayerPath> paths = used.stream().map(BiasLayer::path).toList();
        Taps taps = model.forward(ps, x, false, paths);
        NDArray score = taps.output(h).gather(classes.reshape(-1, 1), 1).sum();
        List<NDArray> wrt = new ArrayList<>(List.of(x));
        for (LayerPath p : paths) {
            NDArray z = taps.activation(p, h);
            if (z.getShape().dimension() != 4) {
                throw new CamException("fullgrad: layer '" + p + "' outputs shape " + z.getShape()
                        + "; its bias term needs [batch, channels, height, width]");
            }
            wrt.add(z);
        }
        List<NDArray> g = Autograd.grad(List.of(score), List.of(wrt), false).group(0);
        long height = x.getShape().get(2);
        long width = x.getShape().get(3);
        NDArray inputTerm = channelSum(g.get(0).mul(x).abs(), height, width);
        Map<String, NDArray> biasTerms = new LinkedHashMap<>();
        for (int i = 0; i < used.size(); i++) {
            NDArray b = used.get(i).bias(ps, x);
            biasTerms.put(paths.get(i).name(), channelSum(g.get(i + 1).stopGradient().mul(b).abs(), height, width));
        }
        return new Terms(inputTerm.stopGradient(), biasTerms);
    }

    /**
     * pytorch-grad-cam's {@code scale_accross_batch_and_channels} then the sum over channels: each
     * channel min-max normalised per sample, resized to the input. Resizing is linear, so the
     * channels are summed first and the sum resized once.
     */
    private static NDArray channelSum(NDArray perChannel, long height, long width) {
        return CamMaps.resize(CamMaps.normalizeMinMax(perChannel.stopGradient()).sum(new int[] {1}), height, width);
    }
}
