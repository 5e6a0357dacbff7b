package io.spotlight.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.spotlight.cam.autograd.Autograd;
import io.spotlight.cam.model.CamModel;
import io.spotlight.cam.model.MultiHeadBlock;
import io.spotlight.cam.testing.GradCheck;
import io.spotlight.cam.testing.TestModels;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The guided loss: exact gradients for every penalty, masks that switch work off, auto-scale. */
class GuidedLossTest {
    private static final Shape INPUT = new Shape(3, 1, 6, 6);
    private NDManager manager;
    private MultiHeadBlock block;
    private CamModel model;
    private ParameterStore ps;
    private NDArray x;
    private Map<String, NDArray> labels;
    private Map<String, NDArray> allowed;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager("PyTorch");
        manager.getEngine().setRandomSeed(5);
        block = TestModels.init(TestModels.multiHead(TestModels.smoothTrunk(3),
                        "a", TestModels.mlpHead(4, 3), "b", TestModels.linearHead(3)),
                manager, DataType.FLOAT64, INPUT);
        model = CamModel.of(block);
        ps = new ParameterStore(manager, false);
        x = manager.randomUniform(0, 1, INPUT, DataType.FLOAT64);
        labels = Map.of("a", manager.create(new long[] {0, 1, 2}), "b", manager.create(new long[] {2, 0, 1}));
        float[] mask = new float[3 * 36];
        java.util.Arrays.fill(mask, 1);
        for (int b = 0; b < 3; b++) {
            mask[b * 36] = 0; // top-left pixel forbidden: a "decoy"
            mask[b * 36 + 1] = 0;
        }
        NDArray m = manager.create(mask, new Shape(3, 1, 6, 6));
        allowed = Map.of("a", m, "b", m);
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private Map<String, NDArray> has(float... flags) {
        return Map.of("a", manager.create(flags), "b", manager.create(flags));
    }

    private GradCheck.Result check(GuidedLoss loss) {
        Map<String, NDArray> has = has(1, 1, 0);
        return new GradCheck(block, manager, 1e-6, 4, 17).run(
                () -> {
                    try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                        gc.backward(loss.evaluate(ps, x, labels, allowed, has, true).total());
                    }
                },
                () -> {
                    // outside a collector the CAM is computed post hoc; the loss value is the same
                    try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                        return loss.evaluate(ps, x.duplicate(), labels, allowed, has, true).total().getDouble();
                    }
                });
    }

    @Test
    void everyPenaltyHasTheGradientFiniteDifferencesMeasure() {
        List<PenaltyTerm> terms = List.of(
                PenaltyTerm.cam("outside_share", "hirescam", "trunk/0", 0.7, 1),
                PenaltyTerm.cam("rrr_g", "gradcam", "trunk", 0.3, 0),
                PenaltyTerm.cam("hint", "gradcam", "trunk", 0.2, 0),
                PenaltyTerm.rrr(0.05, 0),
                // KL through the forward of the batch and of its counterfactual (the consistency term)
                new PenaltyTerm(CounterfactualConsistency.NAME, CounterfactualConsistency.NAME, null, null, null, 0.5, 0,
                        io.spotlight.cam.GradientMode.EXACT, io.spotlight.cam.target.Targets.label()),
                new PenaltyTerm(CounterfactualConsistency.PAIR, CounterfactualConsistency.PAIR, null, null, null, 0.5, 1,
                        io.spotlight.cam.GradientMode.EXACT, io.spotlight.cam.target.Targets.label()),
                augment(0.5),
                // the check's flags are (1, 1, 0): with 1 pair, sample 0 is paired and sample 1 replaced
                mix(0.5, 1));
        for (PenaltyTerm term : terms) {
            GradCheck.Result r = check(new GuidedLoss(model, List.of(term), false));
            System.out.printf("guided loss with %-14s %-18s worst rel. error %.2e over %d coords%n",
                    term.penalty(), term.name(), r.worstRelativeError(), r.coordinates());
            assertTrue(r.worstRelativeError() < 1e-4, term.name() + ": " + r);
        }
    }

    @Test
    void aBatchWithoutMasksDoesNoCamWork() {
        GuidedLoss loss = new GuidedLoss(model, List.of(PenaltyTerm.cam("outside_share", "gradcam", "trunk", 1, 0)), false);
        long before = Autograd.calls();
        GuidedLoss.Result r = loss.evaluate(ps, x, labels, allowed, has(0, 0, 0), true);
        assertEquals(before, Autograd.calls());
        assertFalse(r.guided());
        assertNull(r.cam());
        assertTrue(r.penalties().isEmpty());
        double ceOnly = r.crossEntropy().get("a").getDouble() + r.crossEntropy().get("b").getDouble();
        assertEquals(ceOnly, r.total().getDouble(), 1e-12);
    }

    @Test
    void samplesWithoutAMaskContributeNothing() {
        GuidedLoss loss = new GuidedLoss(model, List.of(PenaltyTerm.cam("outside_share", "gradcam", "trunk", 1, 0)), false);
        double withThird = loss.evaluate(ps, x, labels, allowed, has(1, 1, 1), true).penalties().get("gradcam@trunk/a").getDouble();
        double firstTwo = loss.evaluate(ps, x, labels, allowed, has(1, 1, 0), true).penalties().get("gradcam@trunk/a").getDouble();
        // recompute on the first two samples alone
        NDArray x2 = x.get("0:2");
        Map<String, NDArray> l2 = Map.of("a", labels.get("a").get("0:2"), "b", labels.get("b").get("0:2"));
        Map<String, NDArray> m2 = Map.of("a", allowed.get("a").get("0:2"), "b", allowed.get("b").get("0:2"));
        Map<String, NDArray> h2 = Map.of("a", manager.create(new float[] {1, 1}), "b", manager.create(new float[] {1, 1}));
        double alone = loss.evaluate(ps, x2, l2, m2, h2, true).penalties().get("gradcam@trunk/a").getDouble();
        assertEquals(alone, firstTwo, 1e-12);
        assertTrue(Math.abs(withThird - firstTwo) > 1e-6, "the third sample does count when annotated");
    }

    @Test
    void autoScaleMakesEachTermAsStrongAsTheCrossEntropyAtTheStart() {
        GuidedLoss loss = new GuidedLoss(model, List.of(PenaltyTerm.cam("outside_share", "gradcam", "trunk", 2, 0)), true);
        GuidedLoss.Result r = loss.evaluate(ps, x, labels, allowed, has(1, 1, 1), true);
        double ce = r.crossEntropy().get("b").getDouble();
        double p = r.penalties().get("gradcam@trunk/b").getDouble();
        assertEquals(2 * ce / p, r.weights().get("gradcam@trunk/b"), 1e-9 * (2 * ce / p));
        // the scale is fixed after the first batch
        GuidedLoss.Result again = loss.evaluate(ps, x.mul(0.5), labels, allowed, has(1, 1, 1), true);
        assertEquals(r.weights().get("gradcam@trunk/b"), again.weights().get("gradcam@trunk/b"));
    }

    @Test
    void onlyTheNamedHeadsAreGuided() {
        PenaltyTerm onlyB = new PenaltyTerm("share-b", "outside_share", io.spotlight.cam.method.CamMethods.byName("gradcam"), "trunk",
                List.of("b"), 1, 0, io.spotlight.cam.GradientMode.EXACT, io.spotlight.cam.target.Targets.label());
        GuidedLoss.Result r = new GuidedLoss(model, List.of(onlyB), false).evaluate(ps, x, labels, allowed, has(1, 1, 1), true);
        assertEquals(java.util.Set.of("share-b/b"), r.penalties().keySet());
    }

    @Test
    void eachHeadsPenaltyIsItsOwnMapsShareUnderItsOwnMaskAndFlags() {
        // the heads are stacked into one computation; each must still get exactly its own penalty
        NDArray maskB = manager.ones(new Shape(3, 1, 6, 6));
        maskB.set(new ai.djl.ndarray.index.NDIndex(":, :, 3:, 3:"), 0);
        Map<String, NDArray> masks = Map.of("a", allowed.get("a"), "b", maskB);
        Map<String, NDArray> flags = Map.of("a", manager.create(new float[] {1, 0, 1}), "b", manager.create(new float[] {0, 1, 1}));
        PenaltyTerm term = PenaltyTerm.cam("outside_share", "hirescam", "trunk/0", 1, 1);
        GuidedLoss.Result r = new GuidedLoss(model, List.of(term), false).evaluate(ps, x, labels, masks, flags, true);
        for (String head : List.of("a", "b")) {
            NDArray map = r.cam().map(head, "trunk/0");
            NDArray has = flags.get(head).toType(DataType.FLOAT64, false);
            NDArray perSample = new OutsideShare().perSample(map, RegionMasks.fit(masks.get(head), has, map, 1, head));
            double expected = perSample.mul(has).sum().getDouble() / has.sum().getDouble();
            assertEquals(expected, r.penalties().get(term.name() + "/" + head).getDouble(), 1e-12, head);
        }
        assertTrue(Math.abs(r.penalties().get(term.name() + "/a").getDouble() - r.penalties().get(term.name() + "/b").getDouble()) > 1e-6,
                "different masks and flags give different penalties");
    }

    @Test
    void counterfactualMixIsAPlainStepOnTheMixedBatchPlusThePairsMeanKl() {
        // by hand: sample 0 (the first annotated) paired with its own-region counterfactual, sample 2
        // (annotated beyond the one pair) replaced by its pair-swap counterfactual, sample 1 the
        // batch's own; forward of that batch and of the pair's counterfactual row; mean CE of every
        // head plus lambda times the pair's KL over the 2 annotated samples (float64, 1e-10)
        double lambda = 0.7;
        Map<String, NDArray> has = has(1, 0, 1);
        GuidedLoss loss = new GuidedLoss(model, List.of(mix(lambda, 1)), true); // auto_scale leaves it alone
        double[] value = new double[2];
        List<double[]> viaLoss = gradients(() -> {
            GuidedLoss.Result r = loss.evaluate(ps, x, labels, allowed, has, true);
            assertEquals(lambda, r.weights().get("mix/a"), 0);
            value[0] = r.total().getDouble();
            return r.total();
        });
        NDArray flags = has.get("a");
        NDArray region = allowed.get("a").squeeze(1);
        NDArray mixed = new CounterfactualConsistency(true).counterfactual(x, region, flags, manager.create(new float[] {0, 0, 1}));
        NDArray pairRow = new CounterfactualConsistency(false).counterfactual(x, region, flags).get("0:1");
        List<double[]> byHand = gradients(() -> {
            io.spotlight.cam.model.Taps taps = model.forward(ps, mixed, true, List.of());
            io.spotlight.cam.model.Taps cf = model.forward(ps, pairRow, true, List.of());
            NDArray total = null;
            for (String head : List.of("a", "b")) {
                int h = model.headIndex(head);
                NDArray ce = new CounterfactualAugmentation().perSample(taps.output(h), labels.get(head)).mean();
                // the pair's KL over the two annotated samples: the replaced one counts 0
                NDArray kl = new CounterfactualConsistency().perSample(taps.output(h).get("0:1"), cf.output(h)).sum().div(2);
                NDArray term = ce.add(kl.mul(lambda));
                total = total == null ? term : total.add(term);
            }
            value[1] = total.getDouble();
            return total;
        });
        assertEquals(value[1], value[0], 1e-10);
        assertGradientsEqual(byHand, viaLoss);
        // the paired and the unannotated samples are the batch's own, the replaced one is not
        assertEquals(0, mixed.get("0:2").sub(x.get("0:2")).abs().max().getDouble(), 0);
        assertTrue(mixed.get(2).sub(x.get(2)).abs().max().getDouble() > 0);
    }

    @Test
    void counterfactualMixWithAsManyPairsAsAnnotatedSamplesIsTheConsistencyTerm() {
        // scarce masks: nothing is replaced, and the step is the consistency term's (which forwards
        // the whole counterfactual batch; the mix forwards the annotated rows only), value and gradients
        Map<String, NDArray> has = has(1, 0, 1);
        PenaltyTerm consistency = new PenaltyTerm("cf", CounterfactualConsistency.NAME, null, null, null, 0.7, 0,
                io.spotlight.cam.GradientMode.EXACT, io.spotlight.cam.target.Targets.label());
        double[] value = new double[2];
        List<double[]> viaMix = gradients(() -> {
            NDArray t = new GuidedLoss(model, List.of(mix(0.7, 2)), false).evaluate(ps, x, labels, allowed, has, true).total();
            value[0] = t.getDouble();
            return t;
        });
        List<double[]> viaConsistency = gradients(() -> {
            NDArray t = new GuidedLoss(model, List.of(consistency), false).evaluate(ps, x, labels, allowed, has, true).total();
            value[1] = t.getDouble();
            return t;
        });
        assertEquals(value[1], value[0], 1e-10);
        assertGradientsEqual(viaConsistency, viaMix);
    }

    @Test
    void counterfactualMixForwardsThePairsOnTheirOwnWhenTheModelHasBatchStatistics() {
        // without batch statistics the pairs' rows ride along in the batch's forward (the tests above:
        // the same numbers as separate forwards); with BatchNorm that would change every row's
        // normalisation, so there the loss must be the separate forwards', not the fused one's
        ai.djl.nn.SequentialBlock trunk = new ai.djl.nn.SequentialBlock().add(TestModels.conv(3, 3, 1))
                .add(ai.djl.nn.norm.BatchNorm.builder().build()).add(ai.djl.nn.Activation.tanhBlock());
        CamModel bn = CamModel.of(TestModels.init(TestModels.multiHead(trunk, "a", TestModels.mlpHead(4, 3)),
                manager, DataType.FLOAT64, INPUT));
        Map<String, NDArray> has = Map.of("a", manager.create(new float[] {1, 0, 1}));
        Map<String, NDArray> masks = Map.of("a", allowed.get("a"));
        Map<String, NDArray> labelsA = Map.of("a", labels.get("a"));
        double viaLoss;
        try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
            viaLoss = new GuidedLoss(bn, List.of(mix(0.7, 1)), false).evaluate(ps, x, labelsA, masks, has, true).total().getDouble();
        }
        CounterfactualMix.Step step = new CounterfactualMix().step(x, allowed.get("a").squeeze(1), has.get("a"), 1);
        double[] byHand = new double[2];
        try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
            NDArray z = bn.forward(ps, step.batch(), true, List.of()).output(0);
            NDArray zcf = bn.forward(ps, step.counterfactualRows(), true, List.of()).output(0);
            NDArray fused = bn.forward(ps, ai.djl.ndarray.NDArrays.concat(new ai.djl.ndarray.NDList(step.batch(),
                    step.counterfactualRows())), true, List.of()).output(0);
            byHand[0] = GuidedLoss.crossEntropy(z, labels.get("a"), "a").add(new CounterfactualMix().penalty(step, z, zcf).mul(0.7)).getDouble();
            NDArray zf = fused.get("0:3");
            byHand[1] = GuidedLoss.crossEntropy(zf, labels.get("a"), "a")
                    .add(new CounterfactualMix().penalty(step, zf, fused.get("3:")).mul(0.7)).getDouble();
        }
        assertEquals(byHand[0], viaLoss, 1e-10);
        assertTrue(Math.abs(byHand[1] - viaLoss) > 1e-6, "the fused forward would give another loss here");
    }

    @Test
    void counterfactualMixOnHeadsWithDifferentMasksIsTheConsistencyTermPerHead() {
        // nothing can be replaced (the input is every head's): every annotated sample is paired, per head
        NDArray maskB = manager.ones(new Shape(3, 1, 6, 6));
        maskB.set(new ai.djl.ndarray.index.NDIndex(":, :, 3:, 3:"), 0);
        Map<String, NDArray> masks = Map.of("a", allowed.get("a"), "b", maskB);
        Map<String, NDArray> flags = Map.of("a", manager.create(new float[] {1, 0, 1}), "b", manager.create(new float[] {0, 1, 1}));
        PenaltyTerm consistency = new PenaltyTerm("mix", CounterfactualConsistency.NAME, null, null, null, 0.7, 0,
                io.spotlight.cam.GradientMode.EXACT, io.spotlight.cam.target.Targets.label());
        double[] value = new double[2];
        List<double[]> viaMix = gradients(() -> {
            GuidedLoss.Result r = new GuidedLoss(model, List.of(mix(0.7, 1)), false).evaluate(ps, x, labels, masks, flags, true);
            assertTrue(r.guided());
            value[0] = r.total().getDouble();
            return r.total();
        });
        List<double[]> viaConsistency = gradients(() -> {
            NDArray t = new GuidedLoss(model, List.of(consistency), false).evaluate(ps, x, labels, masks, flags, true).total();
            value[1] = t.getDouble();
            return t;
        });
        assertEquals(value[1], value[0], 1e-10);
        assertGradientsEqual(viaConsistency, viaMix);
    }

    @Test
    void counterfactualMixWithoutMasksIsAPlainStepAndRefusesWhatItCannotDo() {
        GuidedLoss.Result r = new GuidedLoss(model, List.of(mix(1, 8)), false).evaluate(ps, x, labels, allowed, has(0, 0, 0), true);
        GuidedLoss.Result plain = new GuidedLoss(model, List.of(), false).evaluate(ps, x, labels, allowed, has(0, 0, 0), true);
        assertFalse(r.guided());
        assertEquals(plain.total().getDouble(), r.total().getDouble(), 0);
        // with an augmentation term (both rewrite the batch), with a sub-batch, without pairs
        org.junit.jupiter.api.Assertions.assertThrows(io.spotlight.cam.CamException.class,
                () -> new GuidedLoss(model, List.of(mix(1, 8), augment(1)), false));
        io.spotlight.cam.CamException e = org.junit.jupiter.api.Assertions.assertThrows(io.spotlight.cam.CamException.class,
                () -> new GuidedLoss(model, List.of(mix(1, 8)), false, new Amortisation(1, 16)));
        assertTrue(e.getMessage().contains("sub_batch must be 0"), e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(io.spotlight.cam.CamException.class, () -> mix(1, 0));
        assertTrue(e.getMessage().contains("at least 1, got 0"), e.getMessage());
    }

    private static void assertGradientsEqual(List<double[]> expected, List<double[]> actual) {
        for (int i = 0; i < actual.size(); i++) {
            for (int j = 0; j < actual.get(i).length; j++) {
                assertEquals(expected.get(i)[j], actual.get(i)[j], 1e-10, "parameter " + i + " coordinate " + j);
            }
        }
    }

    private static PenaltyTerm mix(double lambda, int pairs) {
        return new PenaltyTerm("mix", CounterfactualMix.NAME, null, null, null, lambda, 0,
                io.spotlight.cam.GradientMode.EXACT, io.spotlight.cam.target.Targets.label(), pairs);
    }

    private static PenaltyTerm augment(double lambda) {
        return new PenaltyTerm("augment", CounterfactualAugmentation.NAME, null, null, null, lambda, 0,
                io.spotlight.cam.GradientMode.EXACT, io.spotlight.cam.target.Targets.label());
    }

    /** Every parameter's gradient after a backward of {@code loss}, in the block's order. */
    private List<double[]> gradients(java.util.function.Supplier<NDArray> loss) {
        for (ai.djl.util.Pair<String, ai.djl.nn.Parameter> p : block.getParameters()) {
            NDArray g = p.getValue().getArray().getGradient();
            g.subi(g); // gradients accumulate across collectors
        }
        try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
            gc.backward(loss.get());
        }
        List<double[]> out = new java.util.ArrayList<>();
        for (ai.djl.util.Pair<String, ai.djl.nn.Parameter> p : block.getParameters()) {
            out.add(p.getValue().getArray().getGradient().toDoubleArray());
        }
        return out;
    }

    @Test
    void counterfactualAugmentationIsAPlainStepOnTheCounterfactualBatchPlusItsAnnotatedCrossEntropy() {
        // the augmented step against the same loss written out by hand: forward of the batch whose
        // annotated samples are their counterfactuals, mean cross-entropy of every head, plus lambda
        // times the mean cross-entropy of the annotated samples (float64, 1e-10)
        double lambda = 0.7;
        Map<String, NDArray> has = has(1, 0, 1);
        GuidedLoss loss = new GuidedLoss(model, List.of(augment(lambda)), true); // auto_scale leaves it alone
        double[] value = new double[2];
        List<double[]> viaLoss = gradients(() -> {
            GuidedLoss.Result r = loss.evaluate(ps, x, labels, allowed, has, true);
            assertEquals(lambda, r.weights().get("augment/a"), 0);
            value[0] = r.total().getDouble();
            return r.total();
        });
        CounterfactualAugmentation aug = new CounterfactualAugmentation();
        NDArray flags = has.get("a").toType(DataType.FLOAT64, false);
        NDArray xa = aug.augment(x, allowed.get("a").squeeze(1), flags);
        List<double[]> byHand = gradients(() -> {
            io.spotlight.cam.model.Taps taps = model.forward(ps, xa, true, List.of());
            NDArray total = null;
            for (String head : List.of("a", "b")) {
                NDArray perSample = aug.perSample(taps.output(model.headIndex(head)), labels.get(head));
                NDArray term = perSample.mean().add(perSample.mul(flags).sum().div(flags.sum()).mul(lambda));
                total = total == null ? term : total.add(term);
            }
            value[1] = total.getDouble();
            return total;
        });
        assertEquals(value[1], value[0], 1e-10);
        for (int i = 0; i < viaLoss.size(); i++) {
            double[] a = viaLoss.get(i);
            double[] b = byHand.get(i);
            for (int j = 0; j < a.length; j++) {
                assertEquals(b[j], a[j], 1e-10, "parameter " + i + " coordinate " + j);
            }
        }
        // the unannotated sample is the batch's own, the annotated ones are not
        assertEquals(0, xa.get(1).sub(x.get(1)).abs().max().getDouble(), 0);
        assertTrue(xa.get(0).sub(x.get(0)).abs().max().getDouble() > 0);
    }

    @Test
    void counterfactualAugmentationTakesMasksAtInputResolutionAsTheyAreAndFitsTheRestTheSame() {
        // [B, 1, H, W] masks skip RegionMasks.fit (the fast case); [B, H, W] ones go through it
        Map<String, NDArray> flat = Map.of("a", allowed.get("a").squeeze(1), "b", allowed.get("b").squeeze(1));
        for (String penalty : List.of(CounterfactualAugmentation.NAME, CounterfactualAugmentation.PAIR)) {
            PenaltyTerm term = new PenaltyTerm("augment", penalty, null, null, null, 0.7, 0,
                    io.spotlight.cam.GradientMode.EXACT, io.spotlight.cam.target.Targets.label());
            GuidedLoss loss = new GuidedLoss(model, List.of(term), false);
            double direct = loss.evaluate(ps, x, labels, allowed, has(1, 0, 1), true).total().getDouble();
            double fitted = loss.evaluate(ps, x, labels, flat, has(1, 0, 1), true).total().getDouble();
            assertEquals(fitted, direct, 0, penalty);
        }
    }

    @Test
    void counterfactualAugmentationWithoutMasksIsAPlainStep() {
        GuidedLoss.Result r = new GuidedLoss(model, List.of(augment(1)), false).evaluate(ps, x, labels, allowed, has(0, 0, 0), true);
        GuidedLoss.Result plain = new GuidedLoss(model, List.of(), false).evaluate(ps, x, labels, allowed, has(0, 0, 0), true);
        assertFalse(r.guided());
        assertEquals(plain.total().getDouble(), r.total().getDouble(), 0);
    }

    @Test
    void counterfactualAugmentationRefusesHeadsWithDifferentMasks() {
        // it rewrites the input of every head, which is wrong for a head whose allowed region differs
        NDArray maskB = manager.ones(new Shape(3, 1, 6, 6));
        Map<String, NDArray> masks = Map.of("a", allowed.get("a"), "b", maskB);
        GuidedLoss loss = new GuidedLoss(model, List.of(augment(1)), false);
        io.spotlight.cam.CamException e = org.junit.jupiter.api.Assertions.assertThrows(io.spotlight.cam.CamException.class,
                () -> loss.evaluate(ps, x, labels, masks, has(1, 1, 1), true));
        assertTrue(e.getMessage().contains("'a' and 'b' differ"), e.getMessage());
        assertTrue(e.getMessage().contains("counterfactual_augment"), e.getMessage());
        // and two such terms are refused when the loss is built
        org.junit.jupiter.api.Assertions.assertThrows(io.spotlight.cam.CamException.class,
                () -> new GuidedLoss(model, List.of(augment(1), augment(2)), false));
    }
}
