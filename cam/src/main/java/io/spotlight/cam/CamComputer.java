package io.spotlight.cam;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.spotlight.cam.autograd.Autograd;
import io.spotlight.cam.method.CamContext;
import io.spotlight.cam.method.CamMethod;
import io.spotlight.cam.model.CamModel;
import io.spotlight.cam.model.LayerPath;
import io.spotlight.cam.model.Taps;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The shared part of every CAM method: one forward pass that keeps the target layers, the target
 * scores of every head, one autograd call for all heads' gradients, and the method's weighting.
 *
 * <p>Inside a training step (a {@link GradientCollector} is open) the maps are differentiable
 * functions of the parameters: a penalty on them is back-propagated with the cross-entropy in the
 * same {@code backward}. Outside one (post hoc), a collector is opened just for this call and the
 * maps come back detached.
 */
public final class CamComputer {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CamComputer.class);
    private static final java.util.concurrent.atomic.AtomicBoolean WARNED = new java.util.concurrent.atomic.AtomicBoolean();
    private final CamModel model;

    public CamComputer(CamModel model) {
        this.model = model;
    }

    public CamModel model() {
        return model;
    }

    /**
     * Computes the requested maps for one batch.
     *
     * @param input the batch [B, C, H, W]
     * @param labels each head's labels [B] by head name (may be empty for non-label targets)
     */
    public CamResult compute(
            ParameterStore ps, NDArray input, Map<String, NDArray> labels, CamRequest request) {
        if (JniUtils.isGradMode()) {
            return computeInGraph(ps, input, labels, request, false);
        }
        try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
            NDArray x = input.duplicate();
            x.setRequiresGradient(true); // so the layers are in a graph even with frozen parameters
            return computeInGraph(ps, x, labels, request, true);
        }
    }

    private CamResult computeInGraph(
            ParameterStore ps,
            NDArray input,
            Map<String, NDArray> labels,
            CamRequest request,
            boolean posthoc) {
        Pass pass = forward(ps, input, labels, request);
        List<List<NDArray>> grads = request.method().usesGradients() ? gradients(pass, labels, request, posthoc) : null;
        return maps(ps, input, pass, grads, request, posthoc);
    }

    /**
     * What the forward pass of one CAM computation kept: the tapped layers, each head's output and
     * explained classes.
     */
    public record Pass(List<String> heads, List<Integer> headIndices, List<LayerPath> layers, Taps taps,
            Map<String, NDArray> outputs, ExplainedClasses classes) {}

    /** The forward pass of {@link #compute}, for callers that bring their own gradients ({@link #maps}). */
    public Pass forward(ParameterStore ps, NDArray input, Map<String, NDArray> labels, CamRequest request) {
        return forward(ps, input, labels, request, null);
    }

    /**
     * {@link #forward} with the graph cut at {@code cut}, one of the request's layers ({@link
     * CamModel#forwardCut}): for a caller that takes the heads' gradients with respect to it from
     * the leaves after its own backward.
     */
    public Pass forwardCut(ParameterStore ps, NDArray input, Map<String, NDArray> labels, CamRequest request,
            LayerPath cut) {
        if (!request.layers().equals(List.of(cut.name()))) {
            throw new IllegalArgumentException("a cut forward taps its cut layer only, got " + request.layers() + " and " + cut);
        }
        return forward(ps, input, labels, request, cut);
    }

    private Pass forward(ParameterStore ps, NDArray input, Map<String, NDArray> labels, CamRequest request, LayerPath cut) {
        List<String> heads = request.heads() == null ? model.headNames() : request.heads();
        List<Integer> headIdx = new ArrayList<>();
        for (String h : heads) {
            headIdx.add(model.headIndex(h));
        }
        List<LayerPath> layers = new ArrayList<>();
        for (String name : request.layers()) {
            layers.add(model.layer(name));
        }
        Taps taps = cut == null ? model.forward(ps, input, request.training(), layers)
                : model.forwardCut(ps, input, request.training(), cut);
        Map<String, NDArray> outputs = new LinkedHashMap<>();
        for (int i = 0; i < heads.size(); i++) {
            outputs.put(heads.get(i), taps.output(headIdx.get(i)));
        }
        return new Pass(List.copyOf(heads), List.copyOf(headIdx), List.copyOf(layers), taps, outputs,
                new ExplainedClasses(outputs, labels, request));
    }

    /**
     * The maps from the pass and d(score_h)/dA_l per head h and layer l ({@code grads}, null for
     * methods that use no gradients). Differentiable unless {@code posthoc}.
     */
    public CamResult maps(ParameterStore ps, NDArray input, Pass pass, List<List<NDArray>> grads, CamRequest request,
            boolean posthoc) {
        CamMethod method = request.method();
        Map<String, Map<String, CamResult.LayerMap>> maps = new LinkedHashMap<>();
        boolean constant = request.mode() == GradientMode.CONSTANT_WEIGHTS;
        for (int i = 0; i < pass.heads().size(); i++) {
            String head = pass.heads().get(i);
            int h = pass.headIndices().get(i);
            Map<String, CamResult.LayerMap> perLayer = new LinkedHashMap<>();
            for (int l = 0; l < pass.layers().size(); l++) {
                LayerPath layer = pass.layers().get(l);
                NDArray a = pass.taps().activation(layer, h);
                checkSpatial(a, head, layer);
                CamContext context = new CamContext(
                        a,
                        grads == null ? null : grads.get(i).get(l),
                        // only CAM and Score-CAM read them; gradient methods get theirs from the score
                        method.usesGradients() ? null : pass.classes().get(head),
                        head,
                        layer.name(),
                        model.headBlock(h) != null ? model.headBlock(h) : model.block(),
                        ps,
                        input,
                        rescorer(ps, h),
                        (inputs, edit, cls) -> {
                            NDArray logits = model.forwardEdited(ps, inputs, false, layer, edit).get(h).stopGradient();
                            return logits.gather(cls.reshape(-1, 1), 1).reshape(-1);
                        });
                CamResult.LayerMap m = request.precision() == Precision.BF16
                        ? halfMap(method, context, constant)
                        : layerMap(method, context, constant, a);
                perLayer.put(layer.name(), posthoc ? new CamResult.LayerMap(m.map().stopGradient(), m.weights(), a) : m);
            }
            maps.put(head, perLayer);
        }
        List<String> layerNames = new ArrayList<>();
        pass.layers().forEach(l -> layerNames.add(l.name()));
        return new CamResult(pass.heads(), List.copyOf(layerNames), pass.outputs(), maps, pass.classes());
    }

    private static CamResult.LayerMap layerMap(CamMethod method, CamContext context, boolean constant, NDArray a) {
        NDArray weights = method.weights(context);
        NDArray detached = weights.stopGradient();
        NDArray map = method.map(constant ? detached : weights, context);
        return new CamResult.LayerMap(map, detached, a);
    }

    /**
     * The map with bfloat16's numerics (see {@link Precision} and {@link Bf16}): activations,
     * gradients and the method's weights rounded to bfloat16 (CAM's weights come from the head's
     * float parameters), the map rounded again, all in the activations' type. The roundings pass
     * the gradient straight through, as a cast's backward does.
     */
    private static CamResult.LayerMap halfMap(CamMethod method, CamContext c, boolean constant) {
        if (!WARNED.getAndSet(true)) {
            LOG.info("precision = bf16: {}", Bf16.WHY_EMULATED);
        }
        NDArray a = c.activations();
        CamContext half = new CamContext(Bf16.round(a), Bf16.round(c.gradients()), c.classes(), c.head(), c.layer(),
                c.headBlock(), c.parameters(), c.input(), c.rescore(), c.rescoreEdited());
        NDArray weights = Bf16.round(method.weights(half));
        NDArray detached = weights.stopGradient();
        NDArray map = Bf16.round(method.map(constant ? detached : weights, half));
        return new CamResult.LayerMap(map, detached, a);
    }

    /**
     * d(score_h)/dA_l for every head h and layer l, from one native call. When every head reads
     * every layer through its own array (the trunk output of a multi-head model), one backward pass
     * of the summed scores separates them; otherwise each head is its own group in the same call.
     */
    private List<List<NDArray>> gradients(Pass pass, Map<String, NDArray> labels, CamRequest request, boolean posthoc) {
        Taps taps = pass.taps();
        List<String> heads = pass.heads();
        List<Integer> headIdx = pass.headIndices();
        List<LayerPath> layers = pass.layers();
        List<NDArray> scores = new ArrayList<>();
        for (String head : heads) {
            scores.add(request.target(head).score(pass.outputs().get(head), labels.get(head), head).sum());
        }
        boolean separable = true;
        for (int h : headIdx) {
            for (LayerPath layer : layers) {
                separable &= taps.isHeadSpecific(layer, h);
            }
        }
        separable |= heads.size() == 1;
        List<List<NDArray>> inputs = new ArrayList<>();
        for (int h : headIdx) {
            List<NDArray> perHead = new ArrayList<>();
            for (LayerPath layer : layers) {
                perHead.add(taps.activation(layer, h));
            }
            inputs.add(perHead);
        }
        boolean createGraph = request.mode() == GradientMode.EXACT && !posthoc;
        List<List<NDArray>> result = new ArrayList<>();
        if (separable) {
            NDArray total = scores.get(0);
            for (int i = 1; i < scores.size(); i++) {
                total = total.add(scores.get(i));
            }
            List<NDArray> flat = new ArrayList<>();
            inputs.forEach(flat::addAll);
            Autograd.Gradients g = Autograd.grad(List.of(total), List.of(flat), createGraph);
            int k = 0;
            for (int i = 0; i < heads.size(); i++) {
                List<NDArray> perHead = new ArrayList<>();
                for (LayerPath layer : layers) {
                    checkUsed(g.used(0, k), heads.get(i), layer);
                    perHead.add(g.get(0, k++));
                }
                result.add(perHead);
            }
        } else {
            Autograd.Gradients g = Autograd.grad(scores, inputs, createGraph);
            for (int i = 0; i < heads.size(); i++) {
                for (int l = 0; l < layers.size(); l++) {
                    checkUsed(g.used(i, l), heads.get(i), layers.get(l));
                }
                result.add(g.group(i));
            }
        }
        return result;
    }

    private BiFunction<NDArray, NDArray, NDArray> rescorer(ParameterStore ps, int head) {
        return (inputs, cls) -> {
            NDList out = model.block().forward(ps, new NDList(inputs), false);
            NDArray logits = out.get(head).stopGradient();
            return logits.gather(cls.reshape(-1, 1), 1).reshape(-1);
        };
    }

    /** Throws the error naming {@code head} and {@code layer} unless the head's output depends on the layer. */
    public static void checkUsed(boolean used, String head, LayerPath layer) {
        if (!used) {
            throw new CamException(
                    "the output of head '" + head + "' does not depend on target layer '" + layer
                            + "'; choose a layer on the head's path");
        }
    }

    private static void checkSpatial(NDArray a, String head, LayerPath layer) {
        if (a.getShape().dimension() != 4) {
            throw new CamException(
                    "target layer '" + layer + "' (for head '" + head + "') outputs shape " + a.getShape()
                            + "; a map needs activations [batch, channels, height, width]");
        }
    }
}
