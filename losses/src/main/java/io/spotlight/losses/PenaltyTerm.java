package io.spotlight.losses;

import io.spotlight.cam.CamException;
import io.spotlight.cam.GradientMode;
import io.spotlight.cam.method.CamMethod;
import io.spotlight.cam.method.CamMethods;
import io.spotlight.cam.target.CamTarget;
import io.spotlight.cam.target.Targets;
import java.util.List;

/**
 * One reason term of the guided loss: which heads, at which layer, with which CAM method and
 * penalty, weighted by {@code lambda}.
 *
 * @param name names the term in metrics, e.g. {@code hirescam@conv1}
 * @param penalty a {@link MapPenalties} name, or {@code rrr} for the input-gradient penalty
 * @param method the CAM method (ignored by {@code rrr})
 * @param layer the target layer (ignored by {@code rrr})
 * @param heads the guided heads, or null for all heads
 * @param lambda the weight, at least 0 (per head: use one term per head)
 * @param dilation input pixels by which to grow the forbidden region (e.g. the layer's receptive
 *     field radius; see {@link io.spotlight.cam.map.ReceptiveField#dilationRadius()})
 * @param mode exact (second order) or constant channel weights
 * @param target what each head's map explains during training (default: the label)
 * @param pairs {@value CounterfactualMix#NAME} only: how many annotated samples per step are paired
 *     with their counterfactual (the rest are replaced by it); 0 for every other penalty
 */
public record PenaltyTerm(
        String name,
        String penalty,
        CamMethod method,
        String layer,
        List<String> heads,
        double lambda,
        int dilation,
        GradientMode mode,
        CamTarget target,
        int pairs) {

    /** A term of any penalty but {@value CounterfactualMix#NAME} (no pairs). */
    public PenaltyTerm(String name, String penalty, CamMethod method, String layer, List<String> heads, double lambda,
            int dilation, GradientMode mode, CamTarget target) {
        this(name, penalty, method, layer, heads, lambda, dilation, mode, target, 0);
    }

    public PenaltyTerm {
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new CamException("lambda of penalty term '" + name + "' must be a finite number >= 0, got " + lambda);
        }
        if (dilation < 0) {
            throw new CamException("dilation of penalty term '" + name + "' must be >= 0 pixels, got " + dilation);
        }
        if (CounterfactualMix.NAME.equals(penalty) ? pairs < 1 : pairs != 0) {
            throw new CamException("penalty term '" + name + "': pairs is " + (CounterfactualMix.NAME.equals(penalty)
                    ? "the number of annotated samples per step paired with their counterfactual, at least 1, got " + pairs
                    : "only for " + CounterfactualMix.NAME + ", got " + pairs + " for " + penalty));
        }
        if (needsMap(penalty)) {
            MapPenalties.byName(penalty); // fail early on an unknown name
            if (layer == null || layer.isBlank()) {
                throw new CamException("penalty term '" + name + "' needs a target layer");
            }
            if (method != null && !method.isDifferentiable()) {
                throw new CamException("penalty term '" + name + "': " + method.name()
                        + " is post hoc only (not differentiable) and cannot guide training");
            }
        }
    }

    /** A CAM term with the defaults: exact gradients, label targets, all heads. */
    public static PenaltyTerm cam(String penalty, String method, String layer, double lambda, int dilation) {
        return new PenaltyTerm(method + "@" + layer, penalty, CamMethods.byName(method), layer, null, lambda,
                dilation, GradientMode.EXACT, Targets.label());
    }

    /** The RRR input-gradient reference term. */
    public static PenaltyTerm rrr(double lambda, int dilation) {
        return new PenaltyTerm(InputGradientPenalty.NAME, InputGradientPenalty.NAME, null, null, null, lambda,
                dilation, GradientMode.EXACT, Targets.label());
    }

    public boolean isInputGradient() {
        return isInputGradient(penalty);
    }

    /** The counterfactual-consistency term ({@link CounterfactualConsistency}): no map, an extra forward. */
    public boolean isCounterfactual() {
        return CounterfactualConsistency.isName(penalty);
    }

    /**
     * The counterfactual-augmentation term ({@link CounterfactualAugmentation}): no map, no extra
     * forward; on a guided step the annotated samples of the batch are replaced by their counterfactuals.
     */
    public boolean isCounterfactualAugment() {
        return CounterfactualAugmentation.isName(penalty);
    }

    /**
     * The counterfactual-mix term ({@link CounterfactualMix}): consistency on the first annotated
     * samples, the others replaced by their counterfactuals; a forward of the paired rows.
     */
    public boolean isCounterfactualMix() {
        return CounterfactualMix.NAME.equals(penalty);
    }

    /** Whether the term rewrites the batch's annotated samples (augmentation, mix): at most one per loss. */
    public boolean rewritesBatch() {
        return isCounterfactualAugment() || isCounterfactualMix();
    }

    /** Whether lambda is the weight itself: the prediction terms are in nats like the cross-entropy. */
    public boolean isAutoScaled() {
        return needsMap() || isInputGradient();
    }

    /** Whether the term penalises a CAM (and so has a method and a layer); rrr and the counterfactual terms do not. */
    public boolean needsMap() {
        return needsMap(penalty);
    }

    private static boolean needsMap(String penalty) {
        return !isInputGradient(penalty) && !CounterfactualConsistency.isName(penalty)
                && !CounterfactualAugmentation.isName(penalty) && !CounterfactualMix.NAME.equals(penalty);
    }

    private static boolean isInputGradient(String penalty) {
        return InputGradientPenalty.NAME.equals(penalty);
    }

    public boolean guides(String head) {
        return heads == null || heads.contains(head);
    }
}
