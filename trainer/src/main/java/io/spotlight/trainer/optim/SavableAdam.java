package io.spotlight.trainer.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.tracker.ParameterTracker;
import ai.djl.training.tracker.Tracker;
import java.util.Objects;

/**
 * Adam as DJL 0.35.1 computes it on the PyTorch engine ({@code Adam} + {@code adamUpdate}), with
 * state that {@link #save} and {@link #restore} can reach:
 *
 * <pre>
 * t  = global update count;  lr = tracker(parameterId, t)
 * g  = rescale * grad (clipped) + weightDecay * w      (L2 in the gradient, not AdamW)
 * m  = beta1 * m + (1 - beta1) * g
 * v  = beta2 * v + (1 - beta2) * g * g
 * w -= lr * sqrt(1 - beta2^t) / (1 - beta1^t) * m / (sqrt(v) + epsilon)
 * </pre>
 *
 * Epsilon is added to the uncorrected {@code sqrt(v)}, as in DJL (not to the bias-corrected
 * one, as in {@code torch.optim.Adam}).
 */
public final class SavableAdam extends StatefulOptimizer {
    private final ParameterTracker learningRate;
    private final float beta1;
    private final float beta2;
    private final float epsilon;

    private SavableAdam(Builder b) {
        super(b);
        this.learningRate = Objects.requireNonNull(b.learningRate, "no learning-rate tracker");
        this.beta1 = b.beta1;
        this.beta2 = b.beta2;
        this.epsilon = b.epsilon;
    }

    /** A builder with DJL's defaults: fixed lr 0.001, beta1 0.9, beta2 0.999, epsilon 1e-8. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected String kind() {
        return "adam";
    }

    @Override
    protected int slots() {
        return 2;
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        int t = updateCount(parameterId);
        double coef1 = 1.0 - Math.pow(beta1, t);
        double coef2 = 1.0 - Math.pow(beta2, t);
        float lr = learningRate.getNewValue(parameterId, t);
        // the same float rounding as DJL: the corrected rate is computed in double, then cast
        float corrected = (float) (lr * Math.sqrt(coef2) / coef1);
        if (!Float.isFinite(corrected) || !Float.isFinite(getWeightDecay())) {
            throw new IllegalArgumentException("learning rate or weight decay is nan or infinite");
        }
        NDArray[] s = state(parameterId, weight);
        NDArray mean = s[0];
        NDArray variance = s[1];
        inPlace(weight, () -> {
            try (NDManager scope = weight.getManager().newSubManager()) {
                NDArray g = preparedGradient(grad, weight, scope);
                NDArray gm = g.mul(1f - beta1);
                gm.attach(scope);
                mean.muli(beta1).addi(gm);
                NDArray g2 = g.mul(g);
                g2.attach(scope);
                variance.muli(beta2).addi(g2.muli(1f - beta2));
                NDArray step = mean.mul(corrected);
                step.attach(scope);
                NDArray denominator = variance.sqrt();
                denominator.attach(scope);
                weight.subi(step.divi(denominator.addi(epsilon)));
            }
        });
    }

    /** Builds a {@link SavableAdam}; options as DJL's {@code Adam.Builder}. */
    public static final class Builder extends StatefulOptimizer.Builder<Builder> {
        private ParameterTracker learningRate = Tracker.fixed(0.001f);
        private float beta1 = 0.9f;
        private float beta2 = 0.999f;
        private float epsilon = 1e-8f;

        private Builder() {}

        @Override
        protected Builder self() {
            return this;
        }

        public Builder optLearningRateTracker(ParameterTracker tracker) {
            this.learningRate = tracker;
            return this;
        }

        public Builder optBeta1(float beta1) {
            this.beta1 = beta1;
            return this;
        }

        public Builder optBeta2(float beta2) {
            this.beta2 = beta2;
            return this;
        }

        public Builder optEpsilon(float epsilon) {
            this.epsilon = epsilon;
            return this;
        }

        public SavableAdam build() {
            return new SavableAdam(this);
        }
    }
}
