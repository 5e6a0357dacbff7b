package io.spotlight.cam.method;

/**
 * A gradient-free method that scores modified copies of the input or the layer (Score-CAM,
 * Ablation-CAM), {@link #batchSize()} copies per forward pass.
 */
public abstract class RescoringCam extends GradientFreeCam {
    private final int batchSize;

    protected RescoringCam(int batchSize) {
        this.batchSize = batchSize;
    }

    /** Modified copies scored per forward pass. */
    public int batchSize() {
        return batchSize;
    }
}
