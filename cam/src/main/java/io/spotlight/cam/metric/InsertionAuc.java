package io.spotlight.cam.metric;

/** Insertion (RISE): the baseline turns into the image, most relevant pixels first; higher is more faithful. */
public final class InsertionAuc extends PerturbationAuc {
    public InsertionAuc(int steps, Baseline baseline) {
        super(steps, baseline);
    }

    @Override
    public String name() {
        return "insertion_auc";
    }

    @Override
    protected boolean inserts() {
        return true;
    }
}
