package io.spotlight.losses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.spotlight.cam.GradientMode;
import io.spotlight.cam.method.CamMethods;
import io.spotlight.cam.model.CamModel;
import io.spotlight.cam.target.Targets;
import io.spotlight.cam.testing.TestModels;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a step makes of a batch's masks alone can be made ahead, on another thread ({@link
 * GuidedLoss#prepare}, the trainer's loader): the step then makes none of it, and its loss and
 * gradients are those of an unprepared step to the bit.
 */
class AnnotationsTest {
    private static final Shape INPUT = new Shape(4, 1, 6, 6);
    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager("PyTorch");
        manager.getEngine().setRandomSeed(5);
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private static PenaltyTerm term(String penalty, String layer, int dilation, GradientMode mode) {
        return new PenaltyTerm("t", penalty, CamMethods.byName("hirescam"), layer, null, 0.7, dilation, mode,
                Targets.labelLogProbability());
    }

    /** A one-head model: a smooth trunk and an MLP head, in float64. */
    private Block oneHead() {
        return TestModels.init(TestModels.multiHead(TestModels.smoothTrunk(3), "only", TestModels.mlpHead(4, 3)),
                manager, DataType.FLOAT64, INPUT);
    }

    /** One batch: masks with a forbidden patch at {@code corner}, sample 2 not annotated (or none when {@code flags} is 0). */
    private record Batch(NDArray x, Map<String, NDArray> labels, Map<String, NDArray> allowed, Map<String, NDArray> has) {
        Annotations annotations() {
            return Annotations.of(allowed, has);
        }
    }

    private Batch batch(CamModel model, int corner, double flags) {
        NDArray x = manager.randomUniform(0, 1, INPUT, DataType.FLOAT64);
        Map<String, NDArray> labels = new HashMap<>();
        Map<String, NDArray> allowed = new HashMap<>();
        Map<String, NDArray> has = new HashMap<>();
        NDArray mask = manager.ones(new Shape(4, 1, 6, 6), DataType.FLOAT64);
        mask.set(new NDIndex(":, :, " + corner + ":" + (corner + 2) + ", 0:3"), 0);
        for (String head : model.headNames()) {
            labels.put(head, manager.randomInteger(0, 3, new Shape(4), DataType.INT64));
            allowed.put(head, mask);
            has.put(head, manager.create(new double[] {flags, flags, 0, flags}));
        }
        return new Batch(x, labels, allowed, has);
    }

    /** The loss and every parameter's gradient after one step on {@code annotations}. */
    private record Step(double loss, boolean guided, List<double[]> grads) {}

    private Step step(Block block, GuidedLoss loss, Batch b, Annotations annotations) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().getArray().hasGradient()) {
                NDArray g = p.getValue().getArray().getGradient();
                g.subi(g);
            }
        }
        ParameterStore ps = new ParameterStore(manager, false);
        double value;
        boolean guided;
        try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
            GuidedLoss.Result r = loss.evaluate(ps, b.x(), b.labels(), annotations, true, 0);
            value = r.total().getDouble();
            guided = r.guided();
            r.backward(gc);
        }
        List<double[]> grads = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            grads.add(p.getValue().getArray().getGradient().toDoubleArray());
        }
        return new Step(value, guided, grads);
    }

    /**
     * After a first step (which tells the loss what to fit), a batch prepared on another thread
     * arrives with its fittings made; the step adds none, and gives the unprepared step's numbers.
     */
    private void assertPreparedStepIsTheSame(Block block, PenaltyTerm term) throws Exception {
        CamModel model = CamModel.of(block);
        GuidedLoss loss = new GuidedLoss(model, List.of(term), false);
        step(block, loss, batch(model, 0, 1), batch(model, 0, 1).annotations()); // learns its fittings

        Batch next = batch(model, 3, 1);
        Annotations prepared = next.annotations();
        ExecutorService loader = Executors.newSingleThreadExecutor();
        try {
            loader.submit(() -> loss.prepare(prepared)).get();
        } finally {
            loader.shutdown();
        }
        int made = prepared.fittings();
        assertTrue(made > 0, "the loader made the step's fittings");
        Step p = step(block, loss, next, prepared);
        assertEquals(made, prepared.fittings(), "the step made no fitting of its own");

        Annotations unprepared = next.annotations();
        assertEquals(0, unprepared.fittings());
        Step u = step(block, loss, next, unprepared);
        assertEquals(made, unprepared.fittings(), "unprepared, the step makes the same fittings itself");
        assertTrue(p.guided() && u.guided());
        assertEquals(u.loss(), p.loss(), 0.0, "loss");
        for (int i = 0; i < u.grads().size(); i++) {
            assertArrayEquals(u.grads().get(i), p.grads().get(i), 0.0, "gradient of parameter " + i);
        }
    }

    @Test
    void aPreparedBatchGivesTheUnpreparedStepsNumbersToTheBit() throws Exception {
        Block one = oneHead();
        assertPreparedStepIsTheSame(one, term("outside_share", "trunk", 1, GradientMode.CONSTANT_WEIGHTS)); // the fast path
        assertPreparedStepIsTheSame(one, term("outside_share", "trunk/0", 0, GradientMode.EXACT)); // the general path
        assertPreparedStepIsTheSame(one, new PenaltyTerm("cf", CounterfactualConsistency.NAME, null, null, null, 0.7, 1,
                GradientMode.EXACT, Targets.label())); // fitted at the input's size
        Block two = TestModels.init(TestModels.multiHead(TestModels.smoothTrunk(3),
                "a", TestModels.mlpHead(4, 3), "b", TestModels.linearHead(3)), manager, DataType.FLOAT64, INPUT);
        assertPreparedStepIsTheSame(two, term("outside_share", "trunk", 0, GradientMode.CONSTANT_WEIGHTS)); // heads stacked
    }

    @Test
    void aBatchOfAnotherSizeIsNotFittedAheadAndItsStepFitsItsOwn() {
        Block block = oneHead();
        CamModel model = CamModel.of(block);
        GuidedLoss loss = new GuidedLoss(model, List.of(term("outside_share", "trunk", 1, GradientMode.CONSTANT_WEIGHTS)), false);
        step(block, loss, batch(model, 0, 1), batch(model, 0, 1).annotations()); // fittings for batches of 4
        // an epoch's last batch, smaller: its first 3 samples
        Batch full = batch(model, 3, 1);
        NDIndex rows = new NDIndex("0:3");
        Map<String, NDArray> labels = new HashMap<>();
        Map<String, NDArray> allowed = new HashMap<>();
        Map<String, NDArray> has = new HashMap<>();
        full.labels().forEach((h, a) -> labels.put(h, a.get(rows)));
        full.allowed().forEach((h, a) -> allowed.put(h, a.get(rows)));
        full.has().forEach((h, a) -> has.put(h, a.get(rows)));
        Batch last = new Batch(full.x().get(rows), labels, allowed, has);
        Annotations a = last.annotations();
        loss.prepare(a); // on the loader thread this must not fail on the size
        assertEquals(0, a.fittings());
        assertTrue(step(block, loss, last, a).guided());
        assertEquals(1, a.fittings(), "the step fitted the smaller batch's masks itself");
    }

    @Test
    void beforeTheFirstGuidedStepOnlyTheHasMaskCheckIsMade() {
        Block block = oneHead();
        CamModel model = CamModel.of(block);
        GuidedLoss loss = new GuidedLoss(model, List.of(term("outside_share", "trunk", 1, GradientMode.CONSTANT_WEIGHTS)), false);
        Annotations a = batch(model, 0, 1).annotations();
        loss.prepare(a);
        assertEquals(0, a.fittings());
        assertTrue(a.any());

        // a loss without terms prepares nothing at all
        Annotations b = batch(model, 0, 1).annotations();
        new GuidedLoss(model, List.of(), false).prepare(b);
        assertEquals(0, b.fittings());
    }

    @Test
    void aBatchWithoutAnnotationsIsUnguidedAndFitsNothing() {
        Block block = oneHead();
        CamModel model = CamModel.of(block);
        GuidedLoss loss = new GuidedLoss(model, List.of(term("outside_share", "trunk", 1, GradientMode.CONSTANT_WEIGHTS)), false);
        step(block, loss, batch(model, 0, 1), batch(model, 0, 1).annotations());
        Batch none = batch(model, 0, 0);
        Annotations a = none.annotations();
        loss.prepare(a);
        assertFalse(a.any());
        Step s = step(block, loss, none, a);
        assertFalse(s.guided());
    }

    @Test
    void aSubBatchsFittingsAreNotMadeAheadForTheWholeBatch() {
        Block block = oneHead();
        CamModel model = CamModel.of(block);
        // the penalty on the batch's first 2 samples: its masks are cut from the batch's in the step
        GuidedLoss loss = new GuidedLoss(model, List.of(term("outside_share", "trunk", 1, GradientMode.CONSTANT_WEIGHTS)), false,
                new Amortisation(1, 2));
        Batch b = batch(model, 0, 1);
        Annotations a = b.annotations();
        assertTrue(step(block, loss, b, a).guided());
        assertEquals(0, a.fittings(), "the step fitted the sub-batch's masks, not the batch's");
        Annotations next = batch(model, 3, 1).annotations();
        loss.prepare(next);
        assertEquals(0, next.fittings(), "nothing the step would not use is made ahead");
    }
}
