package io.spotlight.cam.target;

import ai.djl.ndarray.NDArray;
import io.spotlight.cam.CamException;
import java.util.function.Function;

/** The usual targets: each sample's label, the predicted class, a fixed class, or a function. */
public final class Targets {
    private Targets() {}

    /** Each sample's label: the training default. */
    public static CamTarget label() {
        return new ClassTarget() {
            @Override
            public NDArray classes(NDArray logits, NDArray labels, String head) {
                if (labels == null) {
                    throw new CamException(
                            "target 'label' of head '" + head + "' needs labels, and the batch has none");
                }
                return checkRange(labels, logits, head, "label");
            }

            @Override
            public String name() {
                return "label";
            }
        };
    }

    /**
     * Each sample's label, scored by its log-probability {@code log_softmax(z)[y]} instead of its
     * logit: the gradient then also carries evidence that works by lowering the other classes'
     * logits, which a logit target cannot see (a decoy can act that way).
     */
    public static CamTarget labelLogProbability() {
        return new ClassTarget() {
            @Override
            public NDArray classes(NDArray logits, NDArray labels, String head) {
                return label().classes(logits, labels, head);
            }

            @Override
            public NDArray score(NDArray logits, NDArray labels, String head) {
                NDArray classes = classes(logits, labels, head);
                return logits.logSoftmax(1).gather(classes.reshape(-1, 1), 1).reshape(-1);
            }

            @Override
            public String name() {
                return "logprob";
            }
        };
    }

    /**
     * The sum of every class's log-probability, {@code sum_k log_softmax(z)[k]}, the quantity whose
     * input gradient Ross et al.'s RRR penalises. Unlike the label's log-probability it does not
     * vanish when the model is confident (a saturating shortcut leaves the label's gradient ~0).
     */
    public static CamTarget allLogProbabilities() {
        return of("logprob_sum", logits -> logits.logSoftmax(1).sum(new int[] {1}));
    }

    /** The class the head predicts (argmax of its logits), held fixed during differentiation. */
    public static CamTarget predicted() {
        return new ClassTarget() {
            @Override
            public NDArray classes(NDArray logits, NDArray labels, String head) {
                checkLogits(logits, head);
                return logits.stopGradient().argMax(1);
            }

            @Override
            public String name() {
                return "pred";
            }
        };
    }

    /** The same class {@code k} for every sample. */
    public static CamTarget fixedClass(int k) {
        return new ClassTarget() {
            @Override
            public NDArray classes(NDArray logits, NDArray labels, String head) {
                checkLogits(logits, head);
                long n = logits.getShape().get(1);
                if (k < 0 || k >= n) {
                    throw new CamException(
                            "target class " + k + " is out of range for head '" + head
                                    + "', which has classes 0.." + (n - 1));
                }
                // NDManager.full has no long overload: build as int and widen to the int64 indices gather needs
                return logits.getManager().full(new ai.djl.ndarray.types.Shape(logits.getShape().get(0)), k)
                        .toType(ai.djl.ndarray.types.DataType.INT64, false).toDevice(logits.getDevice(), false);
            }

            @Override
            public String name() {
                return Integer.toString(k);
            }
        };
    }

    /** Any function of the head's output giving one score per sample, e.g. a margin. */
    public static CamTarget of(String name, Function<NDArray, NDArray> scorePerSample) {
        return new CamTarget() {
            @Override
            public NDArray score(NDArray logits, NDArray labels, String head) {
                NDArray s = scorePerSample.apply(logits);
                if (s.getShape().dimension() != 1 || s.getShape().get(0) != logits.getShape().get(0)) {
                    throw new CamException(
                            "target '" + name + "' of head '" + head + "' must give one score per sample ["
                                    + logits.getShape().get(0) + "], got " + s.getShape());
                }
                return s;
            }

            @Override
            public NDArray classes(NDArray logits, NDArray labels, String head) {
                return null;
            }

            @Override
            public String name() {
                return name;
            }
        };
    }

    /** Parses {@code label}, {@code pred} or a class index, as written in configs and on the CLI. */
    public static CamTarget parse(String spec) {
        switch (spec) {
            case "label":
                return label();
            case "logprob":
                return labelLogProbability();
            case "logprob_sum":
                return allLogProbabilities();
            case "pred":
            case "predicted":
                return predicted();
            default:
                try {
                    return fixedClass(Integer.parseInt(spec));
                } catch (NumberFormatException e) {
                    throw new CamException(
                            "unknown target '" + spec + "'; expected label, logprob, logprob_sum, pred or a class index");
                }
        }
    }
}
