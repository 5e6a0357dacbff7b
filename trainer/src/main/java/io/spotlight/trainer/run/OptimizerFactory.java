package io.spotlight.trainer.run;

import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.spotlight.trainer.config.Cfg;
import java.util.Set;

/** Adam or SGD from the {@code optimizer} config group, with a learning-rate schedule. */
public final class OptimizerFactory {
    private OptimizerFactory() {}

    /** The optimizer and the schedule it follows (to log the learning rate). */
    public record Built(Optimizer optimizer, Tracker schedule) {}

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
        Optimizer optimizer = name.equals("adam")
                ? Optimizer.adam().optLearningRateTracker(schedule).optWeightDecays(weightDecay).build()
                : Optimizer.sgd().setLearningRateTracker(schedule).optMomentum((float) opt.getDouble("momentum", 0, 1))
                        .optWeightDecays(weightDecay).build();
        return new Built(optimizer, schedule);
    }
}
