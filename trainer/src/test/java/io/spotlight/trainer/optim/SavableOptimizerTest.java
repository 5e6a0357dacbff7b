package io.spotlight.trainer.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The savable optimizers update weights as DJL's own Adam and SGD do, and save, restore and go on
 * exactly as if never interrupted.
 */
class SavableOptimizerTest {
    private static final int STEPS = 50;
    private static final int CUT = 20;

    // every optimizer gets its own tracker: DJL's MultiFactorTracker keeps state
    private static Tracker cosine() {
        return Tracker.cosine().setBaseValue(0.01f).optFinalValue(0.001f).setMaxUpdates(STEPS).build();
    }

    private static Tracker steps() {
        return Tracker.multiFactor().setBaseValue(0.1f).setSteps(new int[] {15, 30}).optFactor(0.5f).build();
    }

    private static Optimizer djlAdam() {
        return Optimizer.adam().optLearningRateTracker(cosine()).optWeightDecays(1e-3f).build();
    }

    private static SavableAdam adam() {
        return (SavableAdam) SavableSgdAndAdam.ADAM.get();
    }

    private static Optimizer djlSgd() {
        return Optimizer.sgd().setLearningRateTracker(steps()).optMomentum(0.9f).optWeightDecays(1e-3f)
                .optBeginNumUpdate(5).build();
    }

    private static SavableSgd sgd() {
        return (SavableSgd) SavableSgdAndAdam.SGD.get();
    }

    private static List<float[]> train(Optimizer optimizer, int steps) {
        try (TinyTraining t = new TinyTraining(3, optimizer)) {
            return t.steps(steps).weights();
        }
    }

    private static void assertSameAsDjl(Optimizer djl, Optimizer ours, String what) {
        List<float[]> start = train(djl, 0);
        List<float[]> expected = train(djl, STEPS);
        List<float[]> actual = train(ours, STEPS);
        double moved = TinyTraining.maxDiff(start, expected);
        double diff = TinyTraining.maxDiff(expected, actual);
        System.out.printf("%s: weights moved up to %.4f over %d steps; largest difference to DJL %.3g%n", what, moved, STEPS, diff);
        assertTrue(moved > 0.05, what + " training moved the weights by only " + moved);
        assertTrue(diff < 2e-6, what + " differs from DJL's by " + diff);
    }

    @Test
    void adamUpdatesAsDjlsAdam() {
        assertSameAsDjl(djlAdam(), adam(), "adam");
    }

    @Test
    void sgdWithMomentumUpdatesAsDjlsSgd() {
        assertSameAsDjl(djlSgd(), sgd(), "sgd");
    }

    @Test
    void theToleranceTellsADifferentOptimizerApart() {
        // the same comparison with a slightly different beta1 fails by far: 2e-6 is no blanket
        Optimizer other = SavableAdam.builder().optLearningRateTracker(cosine()).optWeightDecays(1e-3f).optBeta1(0.85f).build();
        double diff = TinyTraining.maxDiff(train(djlAdam(), STEPS), train(other, STEPS));
        assertTrue(diff > 1e-3, "beta1 0.85 vs 0.9 differs by only " + diff);
    }

    /** Trains CUT steps, saves, rebuilds everything from bytes, trains the rest. */
    private static List<float[]> interrupted(Supplier<StatefulOptimizer> fresh, boolean restore) throws IOException {
        byte[] params;
        byte[] state;
        StatefulOptimizer before = fresh.get();
        try (TinyTraining first = new TinyTraining(3, before)) {
            first.steps(CUT);
            params = first.parameters();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            before.save(bytes, first.model.getBlock());
            state = bytes.toByteArray();
        }
        StatefulOptimizer resumed = fresh.get();
        // a different seed: every weight must come from the saved bytes
        try (TinyTraining second = new TinyTraining(99, resumed, params)) {
            if (restore) {
                resumed.restore(new ByteArrayInputStream(state), second.model.getBlock(), second.model.getNDManager());
                assertEquals(before.numUpdate(), resumed.numUpdate());
                assertEquals(before.updateCounts().values().stream().toList(), resumed.updateCounts().values().stream().toList());
            }
            second.steps(STEPS - CUT);
            if (restore) {
                assertEquals(before.numUpdate() + STEPS - CUT, resumed.numUpdate());
            }
            return second.weights();
        }
    }

    private static void assertResumesExactly(Supplier<StatefulOptimizer> fresh) throws IOException {
        List<float[]> straight = train(fresh.get(), STEPS);
        List<float[]> resumed = interrupted(fresh, true);
        for (int i = 0; i < straight.size(); i++) {
            assertArrayEquals(straight.get(i), resumed.get(i), "parameter " + i + " after save, restore and continue");
        }
    }

    @Test
    void adamSavedRestoredAndContinuedEqualsAnUninterruptedRunBitForBit() throws IOException {
        assertResumesExactly(SavableSgdAndAdam.ADAM);
    }

    @Test
    void sgdSavedRestoredAndContinuedEqualsAnUninterruptedRunBitForBit() throws IOException {
        assertResumesExactly(SavableSgdAndAdam.SGD);
    }

    @Test
    void withoutTheOptimizerStateTheContinuationDiffers() throws IOException {
        // the control for the two tests above: restarting Adam's moments and count changes the weights
        double diff = TinyTraining.maxDiff(train(adam(), STEPS), interrupted(SavableSgdAndAdam.ADAM, false));
        assertTrue(diff > 1e-3, "a fresh Adam after step " + CUT + " differs by only " + diff);
    }

    @Test
    void countsFollowDjlsBeginNumUpdate() {
        SavableSgd opt = sgd(); // beginNumUpdate 5: the first update counts 6
        try (TinyTraining t = new TinyTraining(3, opt)) {
            t.steps(7);
        }
        assertEquals(12, opt.numUpdate());
        assertEquals(List.of(12, 12, 12, 12), List.copyOf(opt.updateCounts().values()), "two weights, two biases");
    }

    @Test
    void updatesLeaveNoArraysBehind() {
        for (Optimizer opt : List.of(djlAdam(), adam(), sgd())) { // DJL's own as the reference
            try (TinyTraining t = new TinyTraining(3, opt)) {
                t.steps(2); // the state arrays exist from the first update on
                int before = t.model.getNDManager().getManagedArrays().size();
                t.steps(20);
                assertEquals(before, t.model.getNDManager().getManagedArrays().size(), opt.getClass().getSimpleName());
            }
        }
    }

    @Test
    void saveRestoreSaveGivesTheSameBytes() throws IOException {
        SavableAdam opt = adam();
        try (TinyTraining t = new TinyTraining(3, opt); NDManager m = NDManager.newBaseManager("PyTorch")) {
            t.steps(3);
            ByteArrayOutputStream a = new ByteArrayOutputStream();
            opt.save(a, t.model.getBlock());
            SavableAdam copy = adam();
            copy.restore(new ByteArrayInputStream(a.toByteArray()), t.model.getBlock(), m);
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            copy.save(b, t.model.getBlock());
            assertArrayEquals(a.toByteArray(), b.toByteArray());
            assertTrue(a.size() > 2 * 4 * (8 * 16 + 16 + 16 * 4 + 4), "both moments of all 212 weights: " + a.size() + " bytes");
        }
    }

    @Test
    void adamStateDoesNotLoadIntoSgd() throws IOException {
        SavableAdam opt = adam();
        try (TinyTraining t = new TinyTraining(3, opt); NDManager m = NDManager.newBaseManager("PyTorch")) {
            t.steps(1);
            ByteArrayOutputStream a = new ByteArrayOutputStream();
            opt.save(a, t.model.getBlock());
            IOException e = assertThrows(IOException.class,
                    () -> sgd().restore(new ByteArrayInputStream(a.toByteArray()), t.model.getBlock(), m));
            assertTrue(e.getMessage().contains("adam"), e.getMessage());
        }
    }

    @Test
    void sgdRescalesClipsBothWaysAndDecaysByHand() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray w = m.create(new float[] {1f, 1f, 1f, 1f});
            w.setRequiresGradient(true);
            NDArray g = m.create(new float[] {4f, -4f, 0.2f, -0.2f});
            SavableSgd opt = SavableSgd.builder().setLearningRateTracker(Tracker.fixed(0.5f)).setRescaleGrad(0.5f)
                    .optClipGrad(1f).optWeightDecays(0.1f).build();
            opt.update("w", w, g);
            // 0.5 * g = [2, -2, 0.1, -0.1] -> clip [1, -1, 0.1, -0.1] -> + 0.1 * w -> [1.1, -0.9, 0.2, 0] -> * lr 0.5
            assertArrayEquals(new float[] {0.45f, 1.45f, 0.9f, 1f}, w.toFloatArray(), 1e-6f);
            assertArrayEquals(new float[] {4f, -4f, 0.2f, -0.2f}, g.toFloatArray(), "the given gradient is left alone");
        }
    }

    @Test
    void adamsFirstStepIsTheLearningRateTimesTheGradientsSign() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray w = m.create(new float[] {1f, 1f, 1f});
            w.setRequiresGradient(true);
            SavableAdam opt = SavableAdam.builder().optLearningRateTracker(Tracker.fixed(0.1f)).build();
            opt.update("w", w, m.create(new float[] {3f, -0.5f, 1e-3f}));
            // t = 1: m = 0.1 g, v = 0.001 g^2, lr' = 0.1 sqrt(0.001) / 0.1 -> step = 0.1 * g / (|g| + eps / sqrt(0.001)).
            // DJL adds eps to the uncorrected sqrt(v), so for g = 1e-3 the step is 0.1 * 0.999684 (torch.optim.Adam: 0.1 * 0.99999)
            assertArrayEquals(new float[] {0.9f, 1.1f, 0.9000316f}, w.toFloatArray(), 1e-6f);
            assertEquals(1, opt.numUpdate());
        }
    }
}
