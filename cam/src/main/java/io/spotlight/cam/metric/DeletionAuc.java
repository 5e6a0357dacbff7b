package io.spotlight.cam.metric;

/** Deletion (RISE): the image turns into the baseline, most relevant pixels first; lower is more faithful. */
public final class DeletionAuc extends PerturbationAuc {
    public DeletionAuc(int steps, Baseline baseline) {
        super(steps, baseline);
    }

    @Override
    public String name() {
        return "deletion_auc";
    }

    @Override
    protected boolean inserts() {
        return false;
    }
}
