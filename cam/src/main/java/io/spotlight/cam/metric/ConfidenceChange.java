package io.spotlight.cam.metric;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * pytorch-grad-cam's {@code CamMultImageConfidenceChange}: the change in the explained class's
 * probability when the image is multiplied by its map (min-max normalised to [0, 1]); near 0 or
 * above for a map that keeps what the model needs.
 */
public final class ConfidenceChange extends CamMetric {
    @Override
    public String name() {
        return "confidence_change";
    }

    @Override
    public double[] perImage(MetricInput in) {
        NDArray x = in.images().stopGradient();
        Shape s = x.getShape();
        int b = (int) s.get(0);
        int pixels = (int) (s.get(2) * s.get(3));
        float[] maps = new float[b * pixels];
        for (int i = 0; i < b; i++) {
            System.arraycopy(MetricMaps.minMax(in.map(i)), 0, maps, i * pixels, pixels);
        }
        NDArray m = x.getManager().create(maps, new Shape(b, 1, s.get(2), s.get(3)))
                .toType(x.getDataType(), false).toDevice(x.getDevice(), false);
        NDArray both = x.concat(x.mul(m), 0);
        double[] p = in.scorer().score(both, in.classes().concat(in.classes(), 0)).toType(DataType.FLOAT64, false).toDoubleArray();
        double[] out = new double[b];
        for (int i = 0; i < b; i++) {
            out[i] = p[b + i] - p[i];
        }
        return out;
    }
}
