package io.spotlight.trainer.optim;

import ai.djl.training.tracker.Tracker;
import java.util.function.Supplier;

/** Fresh savable optimizers with the schedules the tests use. */
final class SavableSgdAndAdam {
    static final Supplier<StatefulOptimizer> ADAM = () -> SavableAdam.builder()
            .optLearningRateTracker(Tracker.cosine().setBaseValue(0.01f).optFinalValue(0.001f).setMaxUpdates(50).build())
            .optWeightDecays(1e-3f).build();
    static final Supplier<StatefulOptimizer> SGD = () -> SavableSgd.builder()
            .setLearningRateTracker(Tracker.multiFactor().setBaseValue(0.1f).setSteps(new int[] {15, 30}).optFactor(0.5f).build())
            .optMomentum(0.9f).optWeightDecays(1e-3f).optBeginNumUpdate(5).build();

    private SavableSgdAndAdam() {}
}
