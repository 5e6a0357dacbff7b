package io.spotlight.trainer.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.tracker.ParameterTracker;
import java.util.Objects;

/**
 * SGD with momentum as DJL 0.35.1 computes it on the PyTorch engine ({@code Sgd} +
 * {@code sgdUpdate}), with state that {@link #save} and {@link #restore} can reach:
 *
 * <pre>
 * lr = tracker(parameterId, global update count)
 * d  = lr * (rescale * grad (clipped) + weightDecay * w)
 * momentum == 0:  w -= d
 * otherwise:      buf = momentum * buf + d;  w -= buf
 * </pre>
 *
 * The learning rate sits inside the buffer (MXNet's convention, not {@code torch.optim.SGD}'s), so
 * a schedule's change of rate reaches the buffer gradually; there is no dampening or Nesterov.
 */
public final class SavableSgd extends StatefulOptimizer {
    private final ParameterTracker learningRate;
    private final float momentum;

    private SavableSgd(Builder b) {
        super(b);
        this.learningRate = Objects.requireNonNull(b.learningRate, "no learning-rate tracker");
        this.momentum = b.momentum;
    }

    /** A builder; a learning-rate tracker is required, as in DJL. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected String kind() {
        return "sgd";
    }

    @Override
    protected int slots() {
        return 1;
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        float lr = learningRate.getNewValue(parameterId, updateCount(parameterId));
        // without momentum there is no state, as in DJL: only the update count is kept
        NDArray buffer = momentum != 0f ? state(parameterId, weight)[0] : null;
        inPlace(weight, () -> {
            try (NDManager scope = weight.getManager().newSubManager()) {
                NDArray d = preparedGradient(grad, weight, scope).muli(lr);
                if (buffer == null) {
                    weight.subi(d);
                } else {
                    weight.subi(buffer.muli(momentum).addi(d));
                }
            }
        });
    }

    /** Builds a {@link SavableSgd}; options as DJL's {@code Sgd.Builder}. */
    public static final class Builder extends StatefulOptimizer.Builder<Builder> {
        private ParameterTracker learningRate;
        private float momentum;

        private Builder() {}

        @Override
        protected Builder self() {
            return this;
        }

        public Builder setLearningRateTracker(ParameterTracker tracker) {
            this.learningRate = tracker;
            return this;
        }

        public Builder optMomentum(float momentum) {
            this.momentum = momentum;
            return this;
        }

        public SavableSgd build() {
            return new SavableSgd(this);
        }
    }
}
