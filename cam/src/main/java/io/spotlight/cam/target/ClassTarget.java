package io.spotlight.cam.target;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.spotlight.cam.CamException;

/** A target that explains one class per sample: the score is that class's logit. */
abstract class ClassTarget implements CamTarget {
    @Override
    public NDArray score(NDArray logits, NDArray labels, String head) {
        NDArray classes = classes(logits, labels, head);
        return logits.gather(classes.reshape(-1, 1), 1).reshape(-1);
    }

    static void checkLogits(NDArray logits, String head) {
        if (logits.getShape().dimension() != 2) {
            throw new CamException(
                    "head '"
                            + head
                            + "' must output logits of shape [batch, classes] for a class target, got "
                            + logits.getShape());
        }
    }

    /** Classes as int64, after checking they are valid for the head. */
    static NDArray checkRange(NDArray classes, NDArray logits, String head, String what) {
        checkLogits(logits, head);
        long numClasses = logits.getShape().get(1);
        NDArray asLong = classes.toType(DataType.INT64, false).reshape(-1);
        if (asLong.getShape().get(0) != logits.getShape().get(0)) {
            throw new CamException(
                    what + " for head '" + head + "' has " + asLong.getShape().get(0)
                            + " entries but the batch has " + logits.getShape().get(0));
        }
        long min = asLong.min().getLong();
        long max = asLong.max().getLong();
        if (min < 0 || max >= numClasses) {
            throw new CamException(
                    what + " " + (min < 0 ? min : max) + " is out of range for head '" + head
                            + "', which has classes 0.." + (numClasses - 1));
        }
        return asLong;
    }
}
