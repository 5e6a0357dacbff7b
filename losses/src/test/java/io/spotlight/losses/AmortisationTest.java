package io.spotlight.losses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.spotlight.cam.CamException;
import io.spotlight.cam.GradientMode;
import io.spotlight.cam.method.CamMethods;
import io.spotlight.cam.model.CamModel;
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
 * Amortised guidance (every k-th step, penalty times k; a sub-batch) is exactly the guided or the
 * plain step it stands for (float64, 1e-10): which step is which depends only on the global step,
 * and a sub-batch step is the whole batch's cross-entropy plus the penalty the general path gives
 * on the sub-batch alone.
 */
class AmortisationTest {
    private static final Shape INPUT = new Shape(4, 1, 6, 6);
    private NDManager manager;
    private NDArray x;
    private final Map<String, NDArray> labels = new HashMap<>();
    private final Map<String, NDArray> allowed = new HashMap<>();
    private final Map<String, NDArray> has = new HashMap<>();

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager("PyTorch");
        manager.getEngine().setRandomSeed(7);
        x = manager.randomUniform(0, 1, INPUT, DataType.FLOAT64);
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private void batchFor(CamModel model) {
        NDArray mask = manager.ones(INPUT, DataType.FLOAT64);
        mask.set(new NDIndex(":, :, 0:2, 0:3"), 0);
        for (String head : model.headNames()) {
            labels.put(head, manager.randomInteger(0, 3, new Shape(4), DataType.INT64));
            allowed.put(head, mask);
            has.put(head, manager.create(new double[] {1, 0, 1, 1}));
        }
    }

    private Block twoHeads() {
        return TestModels.init(TestModels.multiHead(TestModels.smoothTrunk(3),
                "a", TestModels.mlpHead(4, 3), "b", TestModels.linearHead(3)), manager, DataType.FLOAT64, INPUT);
    }

    /** Exact HiResCAM share inside the trunk: the general, second-order path. */
    private static PenaltyTerm exactInTrunk(double lambda) {
        return new PenaltyTerm("t", "outside_share", CamMethods.byName("hirescam"), "trunk/0", null, lambda, 1,
                GradientMode.EXACT, Targets.labelLogProbability());
    }

    /** Constant weights at the trunk output with the log-probability target: the fast path. */
    private static PenaltyTerm constantAtTrunkOutput(double lambda) {
        return new PenaltyTerm("t", "outside_share", CamMethods.byName("hirescam"), "trunk", null, lambda, 0,
                GradientMode.CONSTANT_WEIGHTS, Targets.labelLogProbability());
    }

    /** One step's loss, first head's map (null when not guided), penalty of head a and every parameter gradient. */
    private record Step(double loss, double[] map, Double penalty, List<double[]> grads, boolean guided) {}

    private Step step(Block block, GuidedLoss loss, NDArray input, Map<String, NDArray> y, Map<String, NDArray> a,
            Map<String, NDArray> h, long globalStep) {
        ParameterStore ps = new ParameterStore(manager, false);
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().getArray().hasGradient()) {
                NDArray g = p.getValue().getArray().getGradient();
                g.subi(g);
            }
        }
        Step s;
        try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
            GuidedLoss.Result r = loss.evaluate(ps, input, y, a, h, true, globalStep);
            double[] map = r.cam() == null ? null : r.cam().map("a", r.cam().layers().get(0)).toDoubleArray();
            NDArray p = r.penalties().get("t/a");
            s = new Step(r.total().getDouble(), map, p == null ? null : p.getDouble(), null, r.guided());
            r.backward(gc);
        }
        List<double[]> grads = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().requiresGradient()) {
                grads.add(p.getValue().getArray().getGradient().toDoubleArray());
            }
        }
        return new Step(s.loss(), s.map(), s.penalty(), grads, s.guided());
    }

    private Step step(Block block, GuidedLoss loss, long globalStep) {
        return step(block, loss, x, labels, allowed, has, globalStep);
    }

    @Test
    void everyKthStepIsTheGuidedStepWithKTimesThePenaltyAndTheStepsBetweenArePlain() {
        Block block = twoHeads();
        CamModel model = CamModel.of(block);
        batchFor(model);
        for (boolean fastPath : new boolean[] {false, true}) {
            PenaltyTerm once = fastPath ? constantAtTrunkOutput(0.7) : exactInTrunk(0.7);
            PenaltyTerm thrice = fastPath ? constantAtTrunkOutput(2.1) : exactInTrunk(2.1);
            GuidedLoss amortised = new GuidedLoss(model, List.of(once), false, new Amortisation(3, 0));
            GuidedLoss everyStepTimesThree = new GuidedLoss(model, List.of(thrice), false);
            GuidedLoss plain = new GuidedLoss(model, List.of(), false);
            assertEquals(fastPath, amortised.reusesCrossEntropyGradient(), "whole batches keep the fast path where it applies");
            Step guided = step(block, everyStepTimesThree, 0);
            Step unguided = step(block, plain, 0);
            for (long s = 0; s < 7; s++) {
                Step got = step(block, amortised, s);
                boolean due = s % 3 == 0;
                assertEquals(due, got.guided(), "step " + s);
                assertSame(due ? guided : unguided, got, (fastPath ? "fast path" : "general path") + ", step " + s);
                assertEquals(due, got.map() != null, "maps only on guided steps");
            }
            // the penalty itself is the same; only its weight is k times λ
            assertEquals(guided.penalty(), step(block, amortised, 3).penalty(), 1e-12);
        }
    }

    @Test
    void aSubBatchStepIsTheWholeBatchsCrossEntropyPlusTheGeneralPathsPenaltyOnTheSubBatch() {
        Block block = twoHeads();
        CamModel model = CamModel.of(block);
        batchFor(model);
        NDIndex firstTwo = new NDIndex("0:2");
        NDArray xs = x.get(firstTwo);
        Map<String, NDArray> ys = new HashMap<>();
        Map<String, NDArray> as = new HashMap<>();
        Map<String, NDArray> hs = new HashMap<>();
        model.headNames().forEach(head -> {
            ys.put(head, labels.get(head).get(firstTwo));
            as.put(head, allowed.get(head).get(firstTwo));
            hs.put(head, has.get(head).get(firstTwo));
        });
        // the counterfactual term's sub-batch predictions are the whole batch's first rows (no second forward)
        PenaltyTerm counterfactual = new PenaltyTerm("t", CounterfactualConsistency.PAIR, null, null, null, 0.7, 0,
                GradientMode.EXACT, Targets.label());
        for (PenaltyTerm term : List.of(exactInTrunk(0.7), constantAtTrunkOutput(0.7), counterfactual)) {
            GuidedLoss sub = new GuidedLoss(model, List.of(term), false, new Amortisation(1, 2));
            assertFalse(sub.reusesCrossEntropyGradient(), "a sub-batch never takes the fast path");
            GuidedLoss whole = new GuidedLoss(model, List.of(term), false);
            GuidedLoss plain = new GuidedLoss(model, List.of(), false);
            Step got = step(block, sub, 0);
            Step plainAll = step(block, plain, 0);
            Step guidedSub = step(block, whole, xs, ys, as, hs, 0);
            Step plainSub = step(block, plain, xs, ys, as, hs, 0);
            String what = term.penalty() + " " + term.mode();
            assertEquals(plainAll.loss() + guidedSub.loss() - plainSub.loss(), got.loss(), 1e-10 * Math.abs(got.loss()), what);
            assertEquals(guidedSub.penalty(), got.penalty(), 1e-12, what);
            if (term.needsMap()) {
                assertClose(guidedSub.map(), got.map(), what + " map of the sub-batch");
            }
            assertTrue(guidedSub.penalty() > 0, what + ": a penalty that can be compared");
            for (int i = 0; i < got.grads().size(); i++) {
                double[] want = new double[got.grads().get(i).length];
                for (int j = 0; j < want.length; j++) {
                    want[j] = plainAll.grads().get(i)[j] + guidedSub.grads().get(i)[j] - plainSub.grads().get(i)[j];
                }
                assertClose(want, got.grads().get(i), what + " gradient of parameter " + i);
            }
            // a sub-batch as large as the batch is the whole batch
            assertSame(step(block, whole, 0), step(block, new GuidedLoss(model, List.of(term), false, new Amortisation(1, 4)), 0), what);
        }
    }

    @Test
    void aSubBatchWithoutMasksDoesNoGuidedWork() {
        Block block = twoHeads();
        CamModel model = CamModel.of(block);
        batchFor(model);
        model.headNames().forEach(head -> has.put(head, manager.create(new double[] {0, 0, 1, 1})));
        Step got = step(block, new GuidedLoss(model, List.of(exactInTrunk(0.7)), false, new Amortisation(1, 2)), 0);
        assertFalse(got.guided());
        assertNull(got.map());
        assertSame(step(block, new GuidedLoss(model, List.of(), false), 0), got, "a plain step");
    }

    @Test
    void theSubBatchsForwardLeavesBatchNormRunningStatisticsAsAPlainStepLeavesThem() {
        SequentialBlock trunk = new SequentialBlock().add(TestModels.conv(3, 3, 1)).add(BatchNorm.builder().build())
                .add(Activation.tanhBlock()).add(TestModels.conv(3, 3, 1)).add(Activation.tanhBlock());
        Block block = TestModels.init(TestModels.multiHead(trunk, "a", TestModels.mlpHead(4, 3)), manager, DataType.FLOAT64, INPUT);
        CamModel model = CamModel.of(block);
        batchFor(model);
        List<NDArray> running = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (!p.getValue().requiresGradient()) {
                running.add(p.getValue().getArray());
            }
        }
        assertEquals(2, running.size(), "running mean and variance");
        List<double[]> start = values(running);
        step(block, new GuidedLoss(model, List.of(), false), 0);
        List<double[]> afterPlain = values(running);
        for (int i = 0; i < running.size(); i++) {
            running.get(i).muli(0).addi(manager.create(start.get(i)));
        }
        Step got = step(block, new GuidedLoss(model, List.of(exactInTrunk(0.7)), false, new Amortisation(1, 2)), 0);
        assertTrue(got.guided());
        List<double[]> afterSub = values(running);
        for (int i = 0; i < running.size(); i++) {
            assertFalse(java.util.Arrays.equals(start.get(i), afterPlain.get(i)), "a training step moves them");
            assertArrayEquals(afterPlain.get(i), afterSub.get(i), 0, "moved by the whole batch only, once");
        }
    }

    @Test
    void badSettingsAreErrorsThatSayWhatIsExpected() {
        assertTrue(assertThrows(CamException.class, () -> new Amortisation(0, 0)).getMessage().contains(">= 1, got 0"));
        assertTrue(assertThrows(CamException.class, () -> new Amortisation(2, -1)).getMessage().contains(">= 0 samples"));
        Amortisation a = new Amortisation(4, 16);
        assertTrue(a.guides(0) && a.guides(8) && !a.guides(1) && !a.guides(7));
        assertEquals(4.0, a.weight());
        assertEquals(16, a.samples(64));
        assertEquals(8, a.samples(8), "a last, shorter batch is guided whole");
        assertEquals(64, Amortisation.NONE.samples(64));
    }

    private static List<double[]> values(List<NDArray> arrays) {
        List<double[]> out = new ArrayList<>();
        arrays.forEach(a -> out.add(a.toDoubleArray()));
        return out;
    }

    private static void assertSame(Step want, Step got, String what) {
        assertEquals(want.loss(), got.loss(), 1e-10 * Math.max(1, Math.abs(want.loss())), what + ": loss");
        if (want.map() != null) {
            assertClose(want.map(), got.map(), what + ": map");
        }
        assertEquals(want.grads().size(), got.grads().size());
        for (int i = 0; i < want.grads().size(); i++) {
            assertClose(want.grads().get(i), got.grads().get(i), what + ": gradient of parameter " + i);
        }
    }

    private static void assertClose(double[] expected, double[] actual, String what) {
        ReusedCrossEntropyGradientTest.assertClose(expected, actual, what);
    }
}
