package io.spotlight.losses;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import io.spotlight.cam.CamComputer;
import io.spotlight.cam.CamException;
import io.spotlight.cam.CamRequest;
import io.spotlight.cam.CamResult;
import io.spotlight.cam.Precision;
import io.spotlight.cam.autograd.Autograd;
import io.spotlight.cam.model.CamModel;
import io.spotlight.cam.model.Taps;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The loss of one guided step (shared/DESIGN.md, "the heart"): {@code L = sum_h CE_h + sum_terms
 * sum_h lambda * scale * P_h}, from ONE forward pass that also yields every head's maps.
 *
 * <p>Samples without a mask contribute nothing to a penalty (it is averaged over annotated samples
 * only), and a batch without any mask does no CAM work at all. With {@code autoScale}, each
 * term's {@code scale} is fixed on the first batch where the penalty is positive to {@code CE_h /
 * P_h}, so that lambda = 1 means "as strong as the cross-entropy at the start of training".
 */
public final class GuidedLoss {
    private static final Loss CROSS_ENTROPY = Loss.softmaxCrossEntropyLoss();
    private final CamModel model;
    private final CamComputer computer;
    private final List<PenaltyTerm> terms;
    private final boolean autoScale;
    private final Map<String, Double> scales = new HashMap<>();
    private final InputGradientPenalty rrr = new InputGradientPenalty();
    /** Fixed by the terms: resolved once, not on every step. */
    private final Map<String, List<PenaltyTerm>> camGroups;
    private final Map<String, MapPenalty> mapPenalties = new HashMap<>();
    /** The fast path, when the terms allow it (see its class); null otherwise. */
    private final ReusedCrossEntropyGradient reuse;
    private final Amortisation amortisation;
    /** The term that rewrites the batch (augmentation or mix), if any: at most one. */
    private final PenaltyTerm augment;
    private final CounterfactualAugmentation augmentation;
    private final CounterfactualMix mixing;
    /** The mix term as the consistency term it becomes where the heads' masks differ. */
    private final PenaltyTerm mixPerHead;
    private final Precision precision;
    /** What a training-mode forward writes besides the graph (BatchNorm running statistics). */
    private final List<ai.djl.nn.Parameter> forwardState = new ArrayList<>();
    /** The fittings of the whole batch's masks that steps made so far: what {@link #prepare} makes ahead. */
    private final java.util.Set<Annotations.Plan> plans = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public GuidedLoss(CamModel model, List<PenaltyTerm> terms, boolean autoScale) {
        this(model, terms, autoScale, Amortisation.NONE);
    }

    /** @param amortisation how often and on how many samples the reason terms are computed */
    public GuidedLoss(CamModel model, List<PenaltyTerm> terms, boolean autoScale, Amortisation amortisation) {
        this(model, terms, autoScale, amortisation, Precision.FP32);
    }

    /** @param precision the number format of the maps the CAM terms penalise (see {@link Precision}) */
    public GuidedLoss(CamModel model, List<PenaltyTerm> terms, boolean autoScale, Amortisation amortisation,
            Precision precision) {
        this.amortisation = amortisation;
        this.precision = precision;
        for (ai.djl.util.Pair<String, ai.djl.nn.Parameter> p : model.block().getParameters()) {
            if (!p.getValue().requiresGradient()) {
                forwardState.add(p.getValue());
            }
        }
        this.model = model;
        this.computer = new CamComputer(model);
        this.terms = List.copyOf(terms);
        this.autoScale = autoScale;
        this.camGroups = camGroups(this.terms);
        for (PenaltyTerm t : this.terms) {
            if (t.needsMap()) {
                mapPenalties.put(t.name(), MapPenalties.byName(t.penalty()));
            }
        }
        for (PenaltyTerm t : terms) {
            if (t.heads() != null) {
                t.heads().forEach(model::headIndex); // unknown head names fail here, not mid-run
            }
        }
        this.reuse = ReusedCrossEntropyGradient.forGroups(model, computer, camGroups, this.terms);
        List<PenaltyTerm> augments = this.terms.stream().filter(PenaltyTerm::rewritesBatch).toList();
        if (augments.size() > 1) {
            throw new CamException("at most one " + CounterfactualAugmentation.NAME + " or " + CounterfactualMix.NAME
                    + " term (each rewrites the batch), got " + augments.stream().map(PenaltyTerm::name).toList());
        }
        this.augment = augments.isEmpty() ? null : augments.get(0);
        boolean mix = augment != null && augment.isCounterfactualMix();
        if (mix && amortisation.subBatch() != 0) {
            throw new CamException("penalty term '" + augment.name() + "' (" + CounterfactualMix.NAME
                    + ") bounds its extra forward by its pairs (" + augment.pairs() + "); guidance sub_batch must be 0 with it, got "
                    + amortisation.subBatch());
        }
        this.augmentation = augment == null || mix ? null : CounterfactualAugmentation.of(augment.penalty());
        this.mixing = mix ? new CounterfactualMix() : null;
        this.mixPerHead = mix ? new PenaltyTerm(augment.name(), CounterfactualConsistency.NAME, null, null, augment.heads(),
                augment.lambda(), augment.dilation(), augment.mode(), augment.target()) : null;
    }

    /**
     * True when guided steps take the fast path that reuses the cross-entropy's gradient for the
     * maps (never with a sub-batch: the penalty's samples are then not the cross-entropy's).
     */
    public boolean reusesCrossEntropyGradient() {
        return reuse != null && amortisation.subBatch() == 0;
    }

    public Amortisation amortisation() {
        return amortisation;
    }

    public Precision precision() {
        return precision;
    }

    public List<PenaltyTerm> terms() {
        return terms;
    }

    /** Fixed auto-scales so far, by "term/head" (for checkpoints and logs). */
    public Map<String, Double> scales() {
        return Map.copyOf(scales);
    }

    public void restoreScales(Map<String, Double> saved) {
        scales.putAll(saved);
    }

    /** A guided step (the first of the schedule): {@link #evaluate(ParameterStore, NDArray, Map, Map, Map, boolean, long)} at step 0. */
    public Result evaluate(
            ParameterStore ps,
            NDArray x,
            Map<String, NDArray> labels,
            Map<String, NDArray> allowed,
            Map<String, NDArray> hasMask,
            boolean training) {
        return evaluate(ps, x, labels, allowed, hasMask, training, 0);
    }

    /**
     * @param labels per head [B]
     * @param allowed per head, the allowed mask at input resolution [B, 1, H, W]
     * @param hasMask per head [B], nonzero for annotated samples
     * @param step the run's 0-based global step, which decides whether the step is guided (see
     *     {@link Amortisation})
     */
    public Result evaluate(
            ParameterStore ps,
            NDArray x,
            Map<String, NDArray> labels,
            Map<String, NDArray> allowed,
            Map<String, NDArray> hasMask,
            boolean training,
            long step) {
        return evaluate(ps, x, labels, Annotations.of(allowed, hasMask), training, step);
    }

    /**
     * Makes now what the next step will need from this batch's annotations and depends on them
     * alone (see {@link Annotations}): for a caller that assembles batches on another thread than
     * the one that trains, as the trainer's loader does. What it makes is what this loss fitted on
     * its earlier steps; before the first guided step there is nothing to make but the has-mask
     * check. A step on annotations that were not prepared makes the same itself.
     */
    public void prepare(Annotations batch) {
        if (terms.isEmpty()) {
            return;
        }
        batch.any();
        for (Annotations.Plan plan : plans) {
            batch.prepare(plan);
        }
    }

    /**
     * @param labels per head [B]
     * @param annotations the batch's masks and flags per head, maybe {@link #prepare prepared}
     * @param step the run's 0-based global step, which decides whether the step is guided (see
     *     {@link Amortisation})
     */
    public Result evaluate(
            ParameterStore ps,
            NDArray x,
            Map<String, NDArray> labels,
            Annotations annotations,
            boolean training,
            long step) {
        int prepared = annotations.fittings();
        long batch = x.getShape().get(0);
        long samples = amortisation.samples(batch);
        boolean sub = samples < batch;
        boolean scheduled = !terms.isEmpty() && amortisation.guides(step);
        CounterfactualMix.Step mixStep = null;
        boolean mixPerHeads = false;
        if (scheduled && mixing != null) {
            String differs = headWithAnotherRegion(annotations);
            mixPerHeads = differs != null; // nothing can be replaced: every annotated sample is paired, per head
            mixStep = mixPerHeads ? null : mixed(x, annotations); // pairs kept, the other annotated samples replaced
            if (mixStep != null) {
                x = mixStep.batch();
            }
        } else if (scheduled && augment != null) {
            x = augmented(x, annotations); // the annotated samples become their counterfactuals
        }
        // what the penalty sees: the whole batch, or its first `samples` samples
        Map<String, NDArray> gLabels = sub && scheduled ? first(labels, samples) : labels;
        Annotations gAnnotations = sub && scheduled ? annotations.first(samples) : annotations;
        boolean annotated = scheduled && (mixing != null && !mixPerHeads ? mixStep != null : gAnnotations.any());
        sub &= annotated;
        NDArray gx = sub ? x.get(new NDIndex("0:" + samples)).duplicate() : x;
        boolean inputGradient = annotated && terms.stream().anyMatch(PenaltyTerm::isInputGradient);
        if (inputGradient) {
            gx.setRequiresGradient(true);
        }
        Map<String, CamResult> cams = new LinkedHashMap<>();
        Map<String, NDArray> outputs = new LinkedHashMap<>();
        Map<String, NDArray> ce = new LinkedHashMap<>();
        ReusedCrossEntropyGradient.Outcome fast = null;
        List<NDArray> savedState = null;
        if (sub) {
            // the cross-entropy's forward over the whole batch, then the penalty's over the
            // sub-batch, after which the running statistics are put back (in Result.backward)
            forwardAll(ps, x, training, outputs);
            savedState = snapshot(forwardState);
        }
        Map<String, NDArray> gOutputs = sub ? new LinkedHashMap<>() : outputs;
        if (annotated && reuse != null && !sub && JniUtils.isGradMode()) {
            Map.Entry<String, List<PenaltyTerm>> group = camGroups.entrySet().iterator().next();
            fast = reuse.run(ps, x, labels, request(group.getValue(), training), ce);
            CamResult r = fast.cams();
            cams.put(group.getKey(), r);
            model.headNames().forEach(h -> outputs.put(h, r.output(h)));
        } else if (annotated) {
            for (Map.Entry<String, List<PenaltyTerm>> group : camGroups.entrySet()) {
                CamRequest request = request(group.getValue(), training);
                CamResult r = computer.compute(ps, gx, gLabels, request);
                cams.put(group.getKey(), r);
                if (gOutputs.isEmpty() && request.heads().size() == model.headNames().size()) {
                    request.heads().forEach(h -> gOutputs.put(h, r.output(h)));
                }
            }
        }
        if (gOutputs.isEmpty() && sub && forwardState.isEmpty() && terms.stream().allMatch(t -> t.isCounterfactual() || t.isCounterfactualAugment())) {
            // only the predictions are needed and no layer mixes samples (no batch statistics): the
            // sub-batch's outputs are the whole batch's first rows, so no second forward of them
            NDIndex rows = new NDIndex("0:" + samples);
            outputs.forEach((h, o) -> gOutputs.put(h, o.get(rows)));
        }
        Map<String, NDArray> mixCounterfactual = null;
        if (gOutputs.isEmpty() && mixStep != null && forwardState.isEmpty()) {
            // no layer mixes samples (no batch statistics): the pairs' counterfactual rows ride along
            // in the batch's forward, one pass of B + P rows instead of two (the same numbers)
            mixCounterfactual = new HashMap<>();
            forwardFused(ps, gx, mixStep.counterfactualRows(), training, gOutputs, mixCounterfactual);
        } else if (gOutputs.isEmpty()) {
            forwardAll(ps, gx, training, gOutputs);
        }
        NDArray ceTotal = fast == null ? null : fast.crossEntropyTotal();
        if (ceTotal == null) {
            for (String head : model.headNames()) {
                ce.put(head, crossEntropy(outputs.get(head), labels.get(head), head));
                ceTotal = ceTotal == null ? ce.get(head) : ceTotal.add(ce.get(head));
            }
        }

        Map<String, NDArray> vectors = new LinkedHashMap<>();
        Map<String, List<String>> vectorHeads = new LinkedHashMap<>();
        Map<String, Double> weights = new LinkedHashMap<>();
        NDArray penaltyTotal = null;
        List<NDArray> penaltyRoots = new ArrayList<>();
        List<NDArray> penaltyGrads = new ArrayList<>();
        if (annotated) {
            for (PenaltyTerm t : terms) {
                List<String> heads = new ArrayList<>();
                for (String head : model.headNames()) {
                    if (t.guides(head)) {
                        heads.add(head);
                    }
                }
                NDArray p = t.isCounterfactualMix() && !mixPerHeads
                        ? mixPenalties(heads, gOutputs, mixCounterfactual, mixStep, ps, training)
                        : termPenalties(t.isCounterfactualMix() ? mixPerHead : t, heads, gx, gOutputs, gLabels, cams, gAnnotations,
                                xcf -> model.forward(ps, xcf, training, List.of())); // [H]
                vectors.put(t.name(), p);
                vectorHeads.put(t.name(), heads);
                double[] w = new double[heads.size()];
                boolean any = false;
                for (int i = 0; i < heads.size(); i++) {
                    String key = t.name() + "/" + heads.get(i);
                    // a KL divergence is in nats like the cross-entropy, and ~0 for an untrained model
                    // (which would give a huge auto-scale): the counterfactual terms are never auto-scaled
                    double wi = t.lambda() * (t.isAutoScaled() ? scale(key, ce.get(heads.get(i)), p, i) : 1) * amortisation.weight();
                    weights.put(key, wi);
                    w[i] = wi;
                    any |= wi != 0;
                }
                if (any && fast != null) {
                    // the fast path's backward starts at the penalties themselves, with λ·scale as their
                    // gradient: the weighted sum in the total is a value to report, not recorded
                    penaltyRoots.add(p);
                    penaltyGrads.add(weightVector(p, w));
                } else if (any) {
                    NDArray weighted = heads.size() == 1 ? p.mul(number(p, w[0])).sum() : p.mul(weightVector(p, w)).sum();
                    penaltyTotal = penaltyTotal == null ? weighted : penaltyTotal.add(weighted);
                }
            }
        }
        Map<String, NDArray> penalties = new SlicedPenalties(vectors, vectorHeads);
        NDArray crossEntropyTotal = ceTotal;
        NDArray total = fast != null ? unrecorded(() -> weightedSum(crossEntropyTotal, penaltyRoots, penaltyGrads))
                : penaltyTotal == null ? ceTotal : ceTotal.add(penaltyTotal);
        List<NDArray> roots = null;
        List<NDArray> rootGrads = null;
        if (fast != null) {
            roots = new ArrayList<>(penaltyRoots);
            rootGrads = new ArrayList<>(penaltyGrads);
            roots.addAll(fast.roots());
            rootGrads.addAll(fast.grads());
        }
        if (gAnnotations == annotations && annotations.fittings() > prepared) {
            plans.addAll(annotations.plans()); // this step fitted masks itself: prepare() makes them for the next batches
        }
        List<NDArray> restore = savedState;
        Runnable afterBackward = restore == null ? null : () -> restore(forwardState, restore);
        return new Result(total, ce, penalties, weights, outputs, cams.isEmpty() ? null : cams.values().iterator().next(), annotated,
                roots, rootGrads, afterBackward);
    }

    /** One forward of x and {@code extra} stacked: each head's rows of x, and of {@code extra}. */
    private void forwardFused(ParameterStore ps, NDArray x, NDArray extra, boolean training, Map<String, NDArray> outputs,
            Map<String, NDArray> extraOutputs) {
        long b = x.getShape().get(0);
        Taps taps = model.forward(ps, NDArrays.concat(new NDList(x, extra)), training, List.of());
        NDIndex own = new NDIndex("0:" + b);
        NDIndex rest = new NDIndex(b + ":");
        for (int h = 0; h < model.headNames().size(); h++) {
            outputs.put(model.headNames().get(h), taps.output(h).get(own));
            extraOutputs.put(model.headNames().get(h), taps.output(h).get(rest));
        }
    }

    private void forwardAll(ParameterStore ps, NDArray x, boolean training, Map<String, NDArray> outputs) {
        Taps taps = model.forward(ps, x, training, List.of());
        for (int h = 0; h < model.headNames().size(); h++) {
            outputs.put(model.headNames().get(h), taps.output(h));
        }
    }

    /**
     * The batch with each annotated sample replaced by its counterfactual ({@link
     * CounterfactualAugmentation}).
     */
    private NDArray augmented(NDArray x, Annotations annotations) {
        String differs = headWithAnotherRegion(annotations);
        if (differs != null) {
            throw new CamException("penalty term '" + augment.name() + "' (" + augment.penalty()
                    + ") replaces the input of every head, so every head needs the same mask; heads '" + firstGuided()
                    + "' and '" + differs + "' differ in this batch (use " + CounterfactualConsistency.NAME + " or "
                    + CounterfactualMix.NAME + " instead)");
        }
        Region r = sharedRegion(x, annotations);
        return augmentation.augment(x, r.allowedAtInput(), r.hasMask());
    }

    /**
     * The mix's step ({@link CounterfactualMix}), or null when no sample is annotated; for a batch
     * whose heads share one mask (the caller has checked).
     */
    private CounterfactualMix.Step mixed(NDArray x, Annotations annotations) {
        Region r = sharedRegion(x, annotations);
        return mixing.step(x, r.allowedAtInput(), r.hasMask(), augment.pairs());
    }

    /** A region at input resolution [B, H, W] and its flags [B]. */
    private record Region(NDArray allowedAtInput, NDArray hasMask) {}

    /**
     * The rewriting term's region at input resolution: its first guided head's, which every head
     * shares (checked by the callers, once per step: {@link #headWithAnotherRegion}).
     */
    private Region sharedRegion(NDArray x, Annotations annotations) {
        String first = firstGuided();
        NDArray mask = annotations.allowed(first);
        NDArray has = annotations.hasMask(first);
        Shape input = x.getShape();
        if (augment.dilation() == 0 && mask.getShape().equals(new Shape(input.get(0), 1, input.get(2), input.get(3)))) {
            // the mask is the allowed region at input resolution already: no fitting (a dozen ops a step)
            return new Region(mask.toType(x.getDataType(), false).reshape(input.get(0), input.get(2), input.get(3)), has);
        }
        RegionMasks m = annotations.fitted(List.of(first), input.get(0), input.get(2), input.get(3), x.getDataType(),
                augment.dilation());
        return new Region(m.allowedAtInput(), m.hasMask());
    }

    /**
     * The mix term for each of {@code heads}, [H] ({@link CounterfactualMix#penalty}). Heads share
     * the counterfactual rows and so their one forward: the fused one's rows ({@code fused}), or,
     * for a model with batch statistics, a forward of their own (as the consistency term's), since
     * in one batch with the others they would change every row's normalisation.
     */
    private NDArray mixPenalties(List<String> heads, Map<String, NDArray> outputs, Map<String, NDArray> fused,
            CounterfactualMix.Step step, ParameterStore ps, boolean training) {
        Taps cf = fused == null ? model.forward(ps, step.counterfactualRows(), training, List.of()) : null;
        List<NDArray> perHead = new ArrayList<>();
        for (String head : heads) {
            NDArray cfLogits = fused == null ? cf.output(model.headIndex(head)) : fused.get(head);
            perHead.add(mixing.penalty(step, outputs.get(head), cfLogits));
        }
        return perHead.size() == 1 ? perHead.get(0).reshape(1) : NDArrays.stack(new NDList(perHead));
    }

    /** The first head whose mask or flags differ from the rewriting term's first guided head's, or null. */
    private String headWithAnotherRegion(Annotations annotations) {
        return annotations.headWithAnotherRegion(firstGuided(), model.headNames());
    }

    /** The rewriting term's first guided head. */
    private String firstGuided() {
        return model.headNames().stream().filter(augment::guides).findFirst().orElseThrow();
    }

    /** Each head's array cut to its first {@code n} samples. */
    private static Map<String, NDArray> first(Map<String, NDArray> byHead, long n) {
        Map<String, NDArray> out = new HashMap<>();
        NDIndex index = new NDIndex("0:" + n);
        byHead.forEach((head, a) -> out.put(head, a.get(index)));
        return out;
    }

    private static List<NDArray> snapshot(List<ai.djl.nn.Parameter> state) {
        List<NDArray> copies = new ArrayList<>();
        for (ai.djl.nn.Parameter p : state) {
            copies.add(p.getArray().duplicate());
        }
        return copies;
    }

    /**
     * Puts back what the sub-batch's forward wrote into the running statistics, so that they move
     * once per step as in a plain step. In place and after the backward: the arrays are the
     * parameters' own, and the graph may still hold them until it is freed.
     */
    private static void restore(List<ai.djl.nn.Parameter> state, List<NDArray> saved) {
        for (int i = 0; i < state.size(); i++) {
            state.get(i).getArray().muli(0).addi(saved.get(i));
            saved.get(i).close();
        }
    }

    /**
     * One term's penalty for each of {@code heads}, [H]: the mean over each head's annotated
     * samples. The heads' maps, masks and flags are stacked along the batch axis, so a term costs
     * the same number of ops whatever the number of heads (a guided step's overhead is mostly
     * per-op, not arithmetic); masks of different shapes take the per-head path, whose errors name
     * the head.
     */
    private NDArray termPenalties(PenaltyTerm t, List<String> heads, NDArray x, Map<String, NDArray> outputs,
            Map<String, NDArray> labels, Map<String, CamResult> cams, Annotations annotations,
            java.util.function.Function<NDArray, Taps> forward) {
        List<NDArray> maps = new ArrayList<>();
        for (String head : heads) {
            maps.add(t.needsMap() ? cams.get(groupKey(t)).map(head, t.layer()) : null);
        }
        Shape mask0 = annotations.allowed(heads.get(0)).getShape();
        Shape has0 = annotations.hasMask(heads.get(0)).getShape();
        boolean stack = heads.size() > 1 && t.needsMap()
                && heads.stream().allMatch(h -> annotations.allowed(h).getShape().equals(mask0)
                        && annotations.hasMask(h).getShape().equals(has0));
        if (stack) {
            NDArray map = NDArrays.concat(new NDList(maps));
            Shape m = maps.get(0).getShape();
            RegionMasks stacked = annotations.fitted(heads, m.get(0), m.get(1), m.get(2), map.getDataType(), t.dilation());
            return stacked.annotatedMean(mapPenalties.get(t.name()).perSample(map, stacked));
        }
        Shape input = x.getShape();
        List<NDArray> perHead = new ArrayList<>();
        Taps cfTaps = null;
        String cfHead = null;
        for (int i = 0; i < heads.size(); i++) {
            String head = heads.get(i);
            List<String> one = List.of(head);
            NDArray perSample;
            RegionMasks m = null; // the masks, where the term fits them
            if (t.isInputGradient()) {
                m = annotations.fitted(one, input.get(0), input.get(2), input.get(3), x.getDataType(), t.dilation());
                perSample = rrr.perSample(outputs.get(head), x, m.forbiddenAtMap());
            } else if (t.isCounterfactualAugment()) {
                // the outputs are the augmented batch's: its cross-entropy per sample
                perSample = augmentation.perSample(outputs.get(head), require(labels, head, "labels"));
            } else if (t.isCounterfactual()) {
                m = annotations.fitted(one, input.get(0), input.get(2), input.get(3), x.getDataType(), t.dilation());
                CounterfactualConsistency cf = CounterfactualConsistency.of(t.penalty());
                // heads with equal masks and flags share the counterfactual batch and so its
                // forward: one extra forward per step, whatever the number of heads
                if (cfTaps == null || annotations.headWithAnotherRegion(cfHead, one) != null) {
                    cfHead = head;
                    cfTaps = forward.apply(cf.counterfactual(x, m.allowedAtInput(), m.hasMask()));
                }
                perSample = cf.perSample(outputs.get(head), cfTaps.output(model.headIndex(head)));
            } else {
                Shape s = maps.get(i).getShape();
                m = annotations.fitted(one, s.get(0), s.get(1), s.get(2), maps.get(i).getDataType(), t.dilation());
                perSample = mapPenalties.get(t.name()).perSample(maps.get(i), m);
            }
            // fitted masks count their annotated samples once for every mean (a map penalty's mass floor takes one too)
            NDArray h = m != null ? null : annotations.hasMask(head).toType(perSample.getDataType(), false);
            perHead.add(m != null ? m.annotatedMean(perSample) : perSample.mul(h).sum().div(h.sum().maximum(1)).reshape(1));
        }
        return perHead.size() == 1 ? perHead.get(0) : NDArrays.concat(new NDList(perHead));
    }

    /**
     * {@code op} with autograd not recording: on the fast path, the loss's total is a value to
     * report (its backward starts elsewhere), and an op autograd records costs several times one
     * that it does not.
     */
    private static NDArray unrecorded(java.util.function.Supplier<NDArray> op) {
        boolean was = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            return op.get();
        } finally {
            JniUtils.setGradMode(was);
        }
    }

    /** {@code start} + Σ_i (values_i · weights_i) summed. */
    private static NDArray weightedSum(NDArray start, List<NDArray> values, List<NDArray> weights) {
        NDArray sum = start;
        for (int i = 0; i < values.size(); i++) {
            sum = sum.add(values.get(i).mul(weights.get(i)).sum());
        }
        return sum;
    }

    /** λ·scale per head as an array of the penalty's type and device. */
    private static NDArray weightVector(NDArray like, double[] w) {
        if (like.getDataType() == ai.djl.ndarray.types.DataType.FLOAT32) {
            float[] f = new float[w.length];
            for (int i = 0; i < w.length; i++) {
                f[i] = (float) w[i];
            }
            return like.getManager().create(f).toDevice(like.getDevice(), false); // one native call, not a create and a cast
        }
        return like.getManager().create(w).toType(like.getDataType(), false).toDevice(like.getDevice(), false);
    }

    /** A Java double would promote a float32 penalty (and the loss) to float64. */
    private static Number number(NDArray like, double w) {
        return like.getDataType() == ai.djl.ndarray.types.DataType.FLOAT64 ? (Number) w : (Number) (float) w;
    }

    /** The request for one group of CAM terms: their layers, the heads they guide, their method. */
    private CamRequest request(List<PenaltyTerm> group, boolean training) {
        PenaltyTerm first = group.get(0);
        List<String> layers = new ArrayList<>();
        List<String> heads = new ArrayList<>();
        for (PenaltyTerm t : group) {
            if (!layers.contains(t.layer())) {
                layers.add(t.layer());
            }
            for (String h : model.headNames()) {
                if (t.guides(h) && !heads.contains(h)) {
                    heads.add(h);
                }
            }
        }
        return CamRequest.builder().layers(layers).heads(heads).method(first.method()).mode(first.mode())
                .target(first.target()).training(training).precision(precision).build();
    }

    /** A head's mean softmax cross-entropy; says which head when the batch has no labels for it. */
    static NDArray crossEntropy(NDArray logits, NDArray labels, String head) {
        if (labels == null) {
            throw new CamException("the batch has no labels for head '" + head + "'");
        }
        return CROSS_ENTROPY.evaluate(new NDList(labels), new NDList(logits));
    }

    private double scale(String key, NDArray ce, NDArray penalties, int index) {
        if (!autoScale) {
            return 1;
        }
        Double s = scales.get(key);
        if (s == null) {
            double p = scalar(penalties.get(index));
            if (!(p > 1e-12)) {
                return 1; // not fixed until the penalty is measurable
            }
            s = scalar(ce) / p;
            scales.put(key, s);
        }
        return s;
    }

    private static double scalar(NDArray a) {
        return a.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble();
    }

    private static NDArray require(Map<String, NDArray> byHead, String head, String what) {
        NDArray a = byHead.get(head);
        if (a == null) {
            throw new CamException("the batch has no " + what + " for head '" + head + "'");
        }
        return a;
    }

    /** CAM terms that can share one CamComputer call: same method, gradient mode and target. */
    private static Map<String, List<PenaltyTerm>> camGroups(List<PenaltyTerm> terms) {
        Map<String, List<PenaltyTerm>> groups = new LinkedHashMap<>();
        for (PenaltyTerm t : terms) {
            if (t.needsMap()) {
                groups.computeIfAbsent(groupKey(t), k -> new ArrayList<>()).add(t);
            }
        }
        return groups;
    }

    private static String groupKey(PenaltyTerm t) {
        return t.method().name() + "|" + t.mode() + "|" + t.target().name();
    }

    /**
     * What one step computed.
     *
     * @param total the loss to back-propagate (scalar)
     * @param crossEntropy per head (scalar)
     * @param penalties raw penalty per "term/head" (scalar, before lambda and scale)
     * @param weights lambda times auto-scale per "term/head"
     * @param outputs logits per head
     * @param cam the maps of the first CAM group, or null when no CAM work was done
     * @param guided false when the batch had no annotation (or there are no terms)
     * @param backwardRoots null, or the roots of the fast path's backward (see {@link #backward})
     * @param backwardGradients the gradients that go with {@code backwardRoots}
     */
    public record Result(
            NDArray total,
            Map<String, NDArray> crossEntropy,
            Map<String, NDArray> penalties,
            Map<String, Double> weights,
            Map<String, NDArray> outputs,
            CamResult cam,
            boolean guided,
            List<NDArray> backwardRoots,
            List<NDArray> backwardGradients,
            Runnable afterBackward) {

        /**
         * Back-propagates {@link #total} into the parameters' gradients, inside the step's
         * collector: DJL's backward, or on the fast path one native backward from the penalty and
         * the tapped activations (see {@link ReusedCrossEntropyGradient}). On the fast path the
         * parameters after the map's layer have their gradients already when {@code evaluate}
         * returns (the cross-entropy's backward through them made the maps); a step that is not
         * taken (the trainer's non-finite loss check) ends the run before any optimizer update.
         */
        public void backward(GradientCollector collector) {
            if (backwardRoots == null) {
                collector.backward(total);
            } else {
                Autograd.backward(backwardRoots, backwardGradients);
            }
            if (afterBackward != null) {
                afterBackward.run();
            }
        }
    }

}
