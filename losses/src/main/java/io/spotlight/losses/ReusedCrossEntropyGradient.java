package io.spotlight.losses;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import io.spotlight.cam.CamComputer;
import io.spotlight.cam.CamRequest;
import io.spotlight.cam.CamResult;
import io.spotlight.cam.GradientMode;
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
 * pass of the training loss computes anyway. So the cross-entropy's backward through the layers
 * after A (one native call) gives, for every head, dCE/dA, and the gradients of every parameter used
 * after A; the maps and penalties are made from dCE/dA; and the final backward starts at A (with
 * dCE/dA) and at the penalty, and runs only through the layers before A. The layers after A are
 * back-propagated once, as in a plain step, instead of twice.
 *
 * <p>It applies when the loss has one CAM term group with one layer, constant channel weights
 * (exact second-order gradients need the graph of the map's gradient, which this path does not
 * build), the log-probability target, every head guided, and each head reads the layer through its
 * own array: the trunk output of a multi-head model (each head gets its own leaf), or any layer of
 * a one-head model. Otherwise dCE/dA would mix the heads, and {@link GuidedLoss} takes the general
 * path.
 */
final class ReusedCrossEntropyGradient {
    private final CamModel model;
    private final CamComputer computer;
    private final LayerPath layer;

    private ReusedCrossEntropyGradient(CamModel model, CamComputer computer, LayerPath layer) {
        this.model = model;
        this.computer = computer;
        this.layer = layer;
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
     * <p>The forward is cut at the layer ({@link CamModel#forwardCut}), so the cross-entropy's
     * backward (DJL's one native call, no TorchScript interpreter) stops at a leaf per head and
     * leaves the later parameters' gradients where the step wants them: the penalty does not
     * depend on those parameters, its channel weights being constants (experiments/bench/RESULTS.md,
     * session 13).
     *
     * @param crossEntropy filled with each head's mean cross-entropy, computed once for loss and maps
     */
    Outcome run(ParameterStore ps, NDArray x, Map<String, NDArray> labels, CamRequest request,
            Map<String, NDArray> crossEntropy) {
        CamComputer.Pass pass = computer.forwardCut(ps, x, labels, request, layer);
        NDArray total = null;
        for (String head : model.headNames()) {
            NDArray ce = GuidedLoss.crossEntropy(pass.outputs().get(head), labels.get(head), head);
            crossEntropy.put(head, ce);
            total = total == null ? ce : total.add(ce);
        }
        NDArray one = total.getManager().ones(total.getShape(), total.getDataType(), total.getDevice());
        JniUtils.backward((PtNDArray) total, (PtNDArray) one, false, false); // frees the graph after A only
        long batch = x.getShape().get(0);
        List<List<NDArray>> camGrads = new ArrayList<>();
        NDArray dCeTotal = null;
        for (int h = 0; h < model.headNames().size(); h++) {
            // the engine's own: DJL's getGradient() makes zeros where the leaf received none
            NDArray dCe = JniUtils.getGradient((PtNDArray) pass.taps().leaf(h));
            CamComputer.checkUsed(dCe != null, model.headNames().get(h), layer);
            dCeTotal = dCeTotal == null ? dCe : dCeTotal.add(dCe);
            camGrads.add(List.of(dCe.mul(Scalars.of(dCe, -batch)))); // d(sum of label log-probabilities)/dA
        }
        CamResult cams = computer.maps(ps, x, pass, camGrads, request, false);
        // the layer's output receives the heads' dCE/dA; GuidedLoss puts the penalty first
        NDArray a = pass.taps().activation(layer, 0);
        return new Outcome(cams, total, List.of(a), List.of(dCeTotal));
    }
}
