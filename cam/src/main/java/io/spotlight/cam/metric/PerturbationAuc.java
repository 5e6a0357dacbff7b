package io.spotlight.cam.metric;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.spotlight.cam.CamException;

/**
 * The causal metrics of RISE (Petsiuk et al. 2018): pixels change from a start image to a finish
 * image in the map's order, most relevant first, in {@code steps} equal steps (after step k the
 * first {@code floor(k·HW/steps)} pixels have changed, every channel at once); the explained
 * class's probability along the way is the curve, and its area (trapezoids over [0, 1]) the
 * metric. All steps of a batch go through the model together.
 */
public abstract class PerturbationAuc extends CamMetric {
    private final int steps;
    private final Baseline baseline;

    protected PerturbationAuc(int steps, Baseline baseline) {
        if (steps < 1) {
            throw new CamException("steps must be at least 1, got " + steps);
        }
        this.steps = steps;
        this.baseline = baseline;
    }

    /** False for deletion (image to baseline), true for insertion (baseline to image). */
    protected abstract boolean inserts();

    @Override
    public double[] perImage(MetricInput in) {
        double[][] curves = curves(in);
        double[] out = new double[curves.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = auc(curves[i]);
        }
        return out;
    }

    /** The probability curve of every image, {@code steps + 1} points each. */
    public double[][] curves(MetricInput in) {
        NDArray x = in.images().stopGradient();
        Shape s = x.getShape();
        int b = (int) s.get(0);
        int pixels = (int) (s.get(2) * s.get(3));
        if (pixels < steps) {
            throw new CamException("steps (" + steps + ") must not exceed the image's " + pixels + " pixels");
        }
        NDArray base = baseline.of(x);
        NDArray start = inserts() ? base : x;
        NDArray finish = inserts() ? x : base;
        NDList perturbed = new NDList();
        for (int i = 0; i < b; i++) {
            int[] order = MetricMaps.mostRelevantFirst(in.map(i));
            float[] changed = new float[(steps + 1) * pixels];
            for (int k = 1; k <= steps; k++) {
                int n = (int) ((long) k * pixels / steps);
                for (int r = 0; r < n; r++) {
                    changed[k * pixels + order[r]] = 1;
                }
            }
            NDArray m = x.getManager().create(changed, new Shape(steps + 1, 1, s.get(2), s.get(3)))
                    .toType(x.getDataType(), false).toDevice(x.getDevice(), false);
            NDArray si = start.get(i).expandDims(0);
            NDArray fi = finish.get(i).expandDims(0);
            perturbed.add(si.mul(m.neg().add(1)).add(fi.mul(m)));
        }
        NDArray classes = in.classes().reshape(-1, 1).repeat(1, steps + 1).reshape(-1);
        double[] p = in.scorer().score(NDArrays.concat(perturbed, 0), classes).toType(DataType.FLOAT64, false).toDoubleArray();
        double[][] curves = new double[b][steps + 1];
        for (int i = 0; i < b; i++) {
            System.arraycopy(p, i * (steps + 1), curves[i], 0, steps + 1);
        }
        return curves;
    }

    /** Area under a curve of equally spaced points over [0, 1] (RISE's {@code auc}). */
    public static double auc(double[] curve) {
        double sum = 0;
        for (double v : curve) {
            sum += v;
        }
        return (sum - curve[0] / 2 - curve[curve.length - 1] / 2) / (curve.length - 1);
    }
}
