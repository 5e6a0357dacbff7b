package io.spotlight.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.spotlight.cam.GradientMode;
import io.spotlight.cam.autograd.Autograd;
import io.spotlight.cam.method.CamMethods;
import io.spotlight.cam.model.CamModel;
import io.spotlight.cam.target.CamTarget;
import io.spotlight.cam.target.Targets;
import io.spotlight.cam.testing.TestModels;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fast path that reuses the cross-entropy's gradient for the maps gives the same loss, maps and
 * parameter gradients as the general path (float64), with DJL's backward of the cross-entropy and
 * one autograd call for the final backward.
 */
class ReusedCrossEntropyGradientTest {
    private static final Shape INPUT = new Shape(4, 1, 6, 6);
    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager("PyTorch");
        manager.getEngine().setRandomSeed(11);
    }

    @AfterEach
    void close() {
        manager.close();
    }

    /** The same score as the label log-probability under another name, so the fast path does not apply. */
    private static CamTarget logProbabilityInDisguise() {
        CamTarget logprob = Targets.labelLogProbability();
        return new CamTarget() {
            @Override
            public NDArray score(NDArray logits, NDArray labels, String head) {
                return logprob.score(logits, labels, head);
            }

            @Override
            public NDArray classes(NDArray logits, NDArray labels, String head) {
                return logprob.classes(logits, labels, head);
            }

            @Override
            public String name() {
                return "logprob-general-path";
            }
        };
    }

    private static PenaltyTerm term(String penalty, String layer, double lambda, int dilation, GradientMode mode, CamTarget target) {
        return new PenaltyTerm("t", penalty, CamMethods.byName("hirescam"), layer, null, lambda, dilation, mode, target);
    }

    /** Loss value, the first head's map and every parameter's gradient after one step. */
    private record Step(double loss, double[] map, List<double[]> grads, long autogradCalls) {}

    private Step step(Block block, CamModel model, GuidedLoss loss, NDArray x, Map<String, NDArray> labels,
            Map<String, NDArray> allowed, Map<String, NDArray> has) {
        ParameterStore ps = new ParameterStore(manager, false);
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().getArray().hasGradient()) {
                NDArray g = p.getValue().getArray().getGradient();
                g.subi(g);
            }
        }
        long before = Autograd.calls();
        double value;
        double[] map;
        try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
            GuidedLoss.Result r = loss.evaluate(ps, x, labels, allowed, has, true);
            value = r.total().getDouble();
            map = r.cam().map(model.headNames().get(0), r.cam().layers().get(0)).toDoubleArray();
            r.backward(gc);
        }
        long calls = Autograd.calls() - before;
        List<double[]> grads = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            grads.add(p.getValue().getArray().getGradient().toDoubleArray());
        }
        return new Step(value, map, grads, calls);
    }

    private void assertSameStep(Block block, String layer, String penalty, int dilation) {
        CamModel model = CamModel.of(block);
        NDArray x = manager.randomUniform(0, 1, INPUT, DataType.FLOAT64);
        Map<String, NDArray> labels = new HashMap<>();
        Map<String, NDArray> allowed = new HashMap<>();
        Map<String, NDArray> has = new HashMap<>();
        NDArray mask = manager.ones(new Shape(4, 1, 6, 6), DataType.FLOAT64);
        mask.set(new ai.djl.ndarray.index.NDIndex(":, :, 0:2, 0:3"), 0);
        for (String head : model.headNames()) {
            labels.put(head, manager.randomInteger(0, 3, new Shape(4), DataType.INT64));
            allowed.put(head, mask);
            has.put(head, manager.create(new double[] {1, 1, 0, 1}));
        }
        GuidedLoss fast = new GuidedLoss(model, List.of(term(penalty, layer, 0.7, dilation, GradientMode.CONSTANT_WEIGHTS,
                Targets.labelLogProbability())), false);
        GuidedLoss general = new GuidedLoss(model, List.of(term(penalty, layer, 0.7, dilation, GradientMode.CONSTANT_WEIGHTS,
                logProbabilityInDisguise())), false);
        assertTrue(fast.reusesCrossEntropyGradient());
        assertFalse(general.reusesCrossEntropyGradient());

        Step f = step(block, model, fast, x, labels, allowed, has);
        Step g = step(block, model, general, x, labels, allowed, has);
        assertEquals(g.loss(), f.loss(), 1e-12 * Math.abs(g.loss()));
        assertClose(g.map(), f.map(), "map");
        for (int i = 0; i < g.grads().size(); i++) {
            assertClose(g.grads().get(i), f.grads().get(i), "gradient of parameter " + i);
        }
        // the cross-entropy's backward through the heads is DJL's own (the graph is cut at the layer):
        // the one TorchScript autograd call is the final backward
        assertEquals(1, f.autogradCalls());
        System.out.printf("fast path at %s: same loss, map and %d parameter gradients as the general path%n", layer, g.grads().size());
    }

    /** Equal to 1e-10 of the largest expected magnitude (shared by the amortisation tests). */
    static void assertClose(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        double scale = 1e-300;
        for (double e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-10 * scale, what + " at " + i);
        }
    }

    @Test
    void trunkOutputOfATwoHeadModel() {
        Block block = TestModels.init(TestModels.multiHead(TestModels.smoothTrunk(3),
                "a", TestModels.mlpHead(4, 3), "b", TestModels.linearHead(3)), manager, DataType.FLOAT64, INPUT);
        assertSameStep(block, "trunk", "outside_share", 0);
        assertSameStep(block, "trunk", "rrr_g", 1);
    }

    @Test
    void trunkOutputOfAOneHeadModel() {
        // the bench's trunk-output case: the lone head reads the trunk output without a view of its own
        Block block = TestModels.init(TestModels.multiHead(TestModels.smoothTrunk(3), "only", TestModels.mlpHead(4, 3)),
                manager, DataType.FLOAT64, INPUT);
        assertSameStep(block, "trunk", "outside_share", 1);
    }

    @Test
    void aLayerInsideTheTrunkOfAOneHeadModel() {
        Block block = TestModels.init(TestModels.multiHead(TestModels.smoothTrunk(3), "only", TestModels.mlpHead(4, 3)),
                manager, DataType.FLOAT64, INPUT);
        assertSameStep(block, "trunk/0", "outside_share", 1);
    }

    @Test
    void aHeadThatIgnoresTheLayerIsNamedNotGivenAZeroMap() {
        // the cut's leaf of a head that ignores its input receives no gradient: an error naming the
        // head and the layer, as on the general path (CamBadInputTest), not a map of zeros
        Block block = TestModels.init(TestModels.multiHead(TestModels.smoothTrunk(3),
                "a", TestModels.linearHead(3), "const", TestModels.constantHead(3)), manager, DataType.FLOAT64, INPUT);
        CamModel model = CamModel.of(block);
        GuidedLoss fast = new GuidedLoss(model, List.of(term("outside_share", "trunk", 1, 0, GradientMode.CONSTANT_WEIGHTS,
                Targets.labelLogProbability())), false);
        assertTrue(fast.reusesCrossEntropyGradient());
        Map<String, NDArray> labels = new HashMap<>();
        Map<String, NDArray> allowed = new HashMap<>();
        Map<String, NDArray> has = new HashMap<>();
        for (String head : model.headNames()) {
            labels.put(head, manager.create(new long[] {0, 1, 2, 0}));
            allowed.put(head, manager.ones(new Shape(4, 1, 6, 6), DataType.FLOAT64));
            has.put(head, manager.ones(new Shape(4), DataType.FLOAT64));
        }
        NDArray x = manager.randomUniform(0, 1, INPUT, DataType.FLOAT64);
        try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
            io.spotlight.cam.CamException e = org.junit.jupiter.api.Assertions.assertThrows(io.spotlight.cam.CamException.class,
                    () -> fast.evaluate(new ParameterStore(manager, false), x, labels, allowed, has, true));
            assertTrue(e.getMessage().contains("'const'") && e.getMessage().contains("does not depend on target layer 'trunk'"),
                    e.getMessage());
        }
    }

    @Test
    void doesNotApplyWhereTheCrossEntropyGradientMixesHeadsOrIsNotTheMapsGradient() {
        Block two = TestModels.init(TestModels.multiHead(TestModels.smoothTrunk(3),
                "a", TestModels.linearHead(3), "b", TestModels.linearHead(3)), manager, DataType.FLOAT64, INPUT);
        CamModel model = CamModel.of(two);
        // inside the trunk, dCE/dA sums both heads' gradients
        assertFalse(new GuidedLoss(model, List.of(term("outside_share", "trunk/0", 1, 0, GradientMode.CONSTANT_WEIGHTS,
                Targets.labelLogProbability())), false).reusesCrossEntropyGradient());
        // exact mode needs the graph of the map's gradient
        assertFalse(new GuidedLoss(model, List.of(term("outside_share", "trunk", 1, 0, GradientMode.EXACT,
                Targets.labelLogProbability())), false).reusesCrossEntropyGradient());
        // the label's logit is not the cross-entropy's score
        assertFalse(new GuidedLoss(model, List.of(term("outside_share", "trunk", 1, 0, GradientMode.CONSTANT_WEIGHTS,
                Targets.label())), false).reusesCrossEntropyGradient());
        // one head guided, the other not
        assertFalse(new GuidedLoss(model, List.of(new PenaltyTerm("t", "outside_share", CamMethods.byName("hirescam"), "trunk",
                List.of("a"), 1, 0, GradientMode.CONSTANT_WEIGHTS, Targets.labelLogProbability())), false).reusesCrossEntropyGradient());
    }
}
