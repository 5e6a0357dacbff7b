package io.spotlight.trainer.data;

import java.util.List;

/**
 * What every sample must satisfy before it becomes part of a batch: finite pixel values and one
 * label per head within that head's classes. Checked in Java on the way into a batch (one pass
 * over a few thousand floats), where the sample is still known by its index.
 */
public final class SampleChecks {
    private SampleChecks() {}

    /** @return what is wrong with {@code sample}, or null when nothing is */
    public static String problem(GuidedSample sample, List<Head> heads) {
        float[] image = sample.image();
        int bad = 0;
        int first = -1;
        for (int i = 0; i < image.length; i++) {
            if (!Float.isFinite(image[i])) {
                bad++;
                first = first < 0 ? i : first;
            }
        }
        if (bad > 0) {
            return bad + " of " + image.length + " pixel values are NaN or infinite (the first, at flat index " + first
                    + " of shape " + sample.imageShape() + ", is " + image[first] + ")";
        }
        int[] labels = sample.labels();
        for (int h = 0; h < heads.size() && h < labels.length; h++) {
            Head head = heads.get(h);
            if (labels[h] < 0 || labels[h] >= head.numClasses()) {
                return "label " + labels[h] + " of head '" + head.name() + "' is not in [0, " + head.numClasses()
                        + ") (classes " + head.classNames() + ")";
            }
        }
        return null;
    }
}
