package io.spotlight.trainer.run;

import ai.djl.training.tracker.Tracker;
import io.spotlight.trainer.config.Cfg;
import io.spotlight.trainer.optim.SavableAdam;
import io.spotlight.trainer.optim.SavableSgd;
import io.spotlight.trainer.optim.StatefulOptimizer;
import java.util.Set;

/**
 * Adam or SGD from the {@code optimizer} config group, with a learning-rate schedule. They update as
 * DJL's own Adam and SGD do, but their state can be checkpointed ({@link StatefulOptimizer}).
 */
public final class OptimizerFactory {
    private OptimizerFactory() {}

    /** The optimizer and the schedule it follows (to log the learning rate). */
    public record Built(StatefulOptimizer optimizer, Tracker schedule) {}

    public static Built build(Cfg opt, long stepsPerEpoch, int epochs) {
        String name = opt.getStringIn("name", Set.of("adam", "sgd"));
        float lr = (float) opt.getDouble("lr", 0, 10);
        float weightDecay = (float) opt.getDouble("weight_decay", 0, 1);
        long total = Math.max(1, stepsPerEpoch * epochs);
        Tracker schedule;
        switch (opt.getStringIn("schedule", Set.of("constant", "cosine", "step"))) {
            case "cosine":
                schedule = Tracker.cosine().setBaseValue(lr)
                        .optFinalValue(lr * (float) opt.getDouble("final_factor", 0, 1))
                        .setMaxUpdates((int) total).build();
                break;
            case "step":
                int every = (int) Math.max(1, stepsPerEpoch * opt.getInt("step_epochs", 1, 1000));
                int[] steps = new int[(int) Math.max(1, total / every)];
                for (int i = 0; i < steps.length; i++) {
                    steps[i] = (i + 1) * every;
                }
                schedule = Tracker.multiFactor().setBaseValue(lr).setSteps(steps)
                        .optFactor((float) opt.getDouble("gamma", 0, 1)).build();
                break;
            default:
                schedule = Tracker.fixed(lr);
        }
        StatefulOptimizer optimizer = name.equals("adam")
                ? SavableAdam.builder().optLearningRateTracker(schedule).optWeightDecays(weightDecay).build()
                : SavableSgd.builder().setLearningRateTracker(schedule).optMomentum((float) opt.getDouble("momentum", 0, 1))
                        .optWeightDecays(weightDecay).build();
        return new Built(optimizer, schedule);
    }
}
