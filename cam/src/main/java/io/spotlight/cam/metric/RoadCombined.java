package io.spotlight.cam.metric;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import java.util.List;

/**
 * ROAD (Rong et al. 2022) as pytorch-grad-cam's {@code ROADCombined}: at each percentile p the
 * map (min-max normalised) is thresholded at its p-th percentile; most-relevant-first (MoRF) keeps
 * the pixels below it and imputes the rest, least-relevant-first (LeRF) does the same on {@code
 * 1 - map}; each gives the change of the explained class's probability, averaged over the
 * percentiles; the score is {@code (LeRF - MoRF) / 2}, higher is more faithful.
 */
public final class RoadCombined extends CamMetric {
    private final List<Double> percentiles;
    private final NoisyLinearImputer imputer;

    public RoadCombined(List<Double> percentiles, NoisyLinearImputer imputer) {
        this.percentiles = List.copyOf(percentiles);
        this.imputer = imputer;
    }

    @Override
    public String name() {
        return "road_combined";
    }

    @Override
    public double[] perImage(MetricInput in) {
        NDArray x = in.images().stopGradient();
        int b = (int) in.batch();
        int k = percentiles.size();
        NDList batch = new NDList();
        NDList classes = new NDList();
        for (int i = 0; i < b; i++) {
            float[] map = MetricMaps.minMax(in.map(i));
            float[] inverted = new float[map.length];
            for (int p = 0; p < map.length; p++) {
                inverted[p] = 1 - map[p];
            }
            NDArray image = x.get(i);
            batch.add(image.expandDims(0));
            for (double percentile : percentiles) {
                batch.add(imputer.impute(image, below(map, percentile)).expandDims(0));
                batch.add(imputer.impute(image, below(inverted, percentile)).expandDims(0));
            }
            classes.add(in.classes().get(i).reshape(1).repeat(0, 1 + 2L * k));
        }
        double[] p = in.scorer().score(NDArrays.concat(batch, 0), NDArrays.concat(classes, 0))
                .toType(DataType.FLOAT64, false).toDoubleArray();
        double[] out = new double[b];
        for (int i = 0; i < b; i++) {
            int base = i * (1 + 2 * k);
            double morf = 0;
            double lerf = 0;
            for (int j = 0; j < k; j++) {
                morf += p[base + 1 + 2 * j] - p[base];
                lerf += p[base + 2 + 2 * j] - p[base];
            }
            out[i] = (lerf / k - morf / k) / 2;
        }
        return out;
    }

    /** The pixels strictly below the map's percentile stay (pytorch-grad-cam's {@code mask < threshold}). */
    private static boolean[] below(float[] map, double percentile) {
        double threshold = MetricMaps.percentile(map, percentile);
        boolean[] keep = new boolean[map.length];
        for (int p = 0; p < map.length; p++) {
            keep[p] = map[p] < (float) threshold; // torch compares a float32 map with the threshold in float32
        }
        return keep;
    }
}
