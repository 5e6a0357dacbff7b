package io.spotlight.losses;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import io.spotlight.cam.CamComputer;
import io.spotlight.cam.CamException;
import io.spotlight.cam.CamRequest;
import io.spotlight.cam.CamResult;
import io.spotlight.cam.GradientMode;
import io.spotlight.cam.autograd.Autograd;
import io.spotlight.cam.map.Scalars;
import io.spotlight.cam.model.CamModel;
import io.spotlight.cam.model.LayerPath;
import io.spotlight.cam.model.MultiHeadBlock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The fast path of a guided step: exact, not an approximation, where it applies.
 *
 * <p>With the label's log-probability as target, the gradient a map needs, d(Σ_i log p_i[y_i])/dA,
 * is −B times the gradient of the head's mean cross-entropy with respect to A, which the backward
 * pass of the training loss computes anyway. So one native call gives, for every head, dCE/dA and
 * the gradients of every parameter used after A; the maps and penalties are made from them; and the
 * final backward starts at A (with dCE/dA) and at the penalty, and runs only through the layers
 * before A. The layers after A are back-propagated once, as in a plain step, instead of twice.
 *
 * <p>It applies when the loss has one CAM term group with one layer, constant channel weights
 * (exact second-order gradients need the graph of the map's gradient, which this path does not
 * build), the log-probability target, every head guided, and each head reads the layer through its
 * own array: the trunk output of a multi-head model (each head gets its own view), or any layer of
 * a one-head model. Otherwise dCE/dA would mix the heads, and {@link GuidedLoss} takes the general
 * path.
 */
final class ReusedCrossEntropyGradient {
    private final CamModel model;
    private final CamComputer computer;
    private final LayerPath layer;
    private final List<Parameter> after;

    private ReusedCrossEntropyGradient(CamModel model, CamComputer computer, LayerPath layer) {
        this.model = model;
        this.computer = computer;
        this.layer = layer;
        this.after = model.parametersAfter(layer);
    }

    /** The fast path for these CAM groups, or null when it does not apply. */
    static ReusedCrossEntropyGradient forGroups(CamModel model, CamComputer computer, Map<String, List<PenaltyTerm>> camGroups,
            List<PenaltyTerm> terms) {
        if (camGroups.size() != 1 || terms.stream().anyMatch(t -> !t.needsMap())) {
            return null;
        }
        List<PenaltyTerm> group = camGroups.values().iterator().next();
        PenaltyTerm first = group.get(0);
        if (first.mode() != GradientMode.CONSTANT_WEIGHTS || !first.target().name().equals("logprob")
                || !first.method().usesGradients()) {
            return null;
        }
        for (PenaltyTerm t : group) {
            if (!t.layer().equals(first.layer())) {
                return null;
            }
            for (String head : model.headNames()) {
                if (!t.guides(head)) {
                    return null;
                }
            }
        }
        LayerPath layer = model.layer(first.layer());
        boolean ownView = model.block() instanceof MultiHeadBlock && layer.indices().equals(List.of(0));
        if (model.headNames().size() != 1 && !ownView) {
            return null;
        }
        return new ReusedCrossEntropyGradient(model, computer, layer);
    }

    /** What the fast path computed: the maps, the summed cross-entropy, and the backward it leaves to {@link GuidedLoss.Result#backward}. */
    record Outcome(CamResult cams, NDArray crossEntropyTotal, List<NDArray> roots, List<NDArray> grads) {}

    /**
     * The forward pass, maps and gradients of one batch.
     *
     * @param crossEntropy filled with each head's mean cross-entropy, computed once for loss and maps
     */
    Outcome run(ParameterStore ps, NDArray x, Map<String, NDArray> labels, CamRequest request,
            Map<String, NDArray> crossEntropy) {
        CamComputer.Pass pass = computer.forward(ps, x, labels, request);
        NDArray total = null;
        for (String head : model.headNames()) {
            NDArray ce = GuidedLoss.crossEntropy(pass.outputs().get(head), labels.get(head), head);
            crossEntropy.put(head, ce);
            total = total == null ? ce : total.add(ce);
        }
        List<NDArray> inputs = new ArrayList<>();
        for (int h = 0; h < model.headNames().size(); h++) {
            inputs.add(pass.taps().activation(layer, h));
        }
        for (Parameter p : after) {
            inputs.add(p.getArray());
        }
        Autograd.Gradients g = Autograd.grad(List.of(total), List.of(inputs), false);
        long batch = x.getShape().get(0);
        List<List<NDArray>> camGrads = new ArrayList<>();
        List<NDArray> grads = new ArrayList<>();
        for (int h = 0; h < model.headNames().size(); h++) {
            if (!g.used(0, h)) {
                throw new CamException("head '" + model.headNames().get(h) + "''s output does not depend on target layer '"
                        + layer + "'; choose a layer on the head's path");
            }
            NDArray dCe = g.get(0, h);
            grads.add(dCe);
            camGrads.add(List.of(dCe.mul(Scalars.of(dCe, -batch)))); // d(sum of label log-probabilities)/dA
        }
        for (int k = 0; k < after.size(); k++) {
            grads.add(g.get(0, model.headNames().size() + k));
        }
        CamResult cams = computer.maps(ps, x, pass, camGrads, request, false);
        // roots: each head's activations (receiving dCE/dA), then the parameters after the layer
        // (receiving their cross-entropy gradients); GuidedLoss puts the penalty first
        List<NDArray> roots = new ArrayList<>(inputs);
        return new Outcome(cams, total, roots, grads);
    }
}
