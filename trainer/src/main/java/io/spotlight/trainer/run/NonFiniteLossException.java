package io.spotlight.trainer.run;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;

/** A loss became NaN or infinite; the step was not taken and the last checkpoint stays valid. */
public class NonFiniteLossException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NonFiniteLossException(String message) {
        super(message);
    }

    /**
     * Says whether the batch that gave a non-finite loss was itself finite, so that the message
     * points at the data (which samples) or at the model and loss. Runs only when the loss is
     * already bad: it costs nothing on a healthy step.
     *
     * @param images the batch [B, ...]
     */
    public static String inputNote(NDArray images) {
        long batch = images.getShape().get(0);
        NDArray flat = images.reshape(batch, -1);
        NDArray bad = flat.isNaN().logicalOr(flat.isInfinite()).toType(DataType.INT64, false).sum(new int[] {1});
        long[] perSample = bad.toLongArray();
        List<Integer> samples = new ArrayList<>();
        long total = 0;
        for (int i = 0; i < perSample.length; i++) {
            if (perSample[i] > 0) {
                samples.add(i);
                total += perSample[i];
            }
        }
        if (samples.isEmpty()) {
            return "the input batch is finite, so the model's weights or the loss went bad, not the data";
        }
        return "the input batch holds " + total + " NaN or infinite values, in samples " + samples
                + " of the batch (of " + batch + "): the data is bad";
    }
}
