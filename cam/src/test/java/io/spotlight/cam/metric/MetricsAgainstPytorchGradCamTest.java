package io.spotlight.cam.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.JsonUtils;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.spotlight.cam.model.CamModel;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The metrics pytorch-grad-cam also has, against numbers it computed once: {@code
 * fixtures/gradcam-metrics.json}, written by {@code scripts/gradcam-metric-fixtures.py} (grad-cam
 * 1.5.5, torch 2.7.1; ROAD's noise 0). The model, flatten then linear, is rebuilt here from the
 * weights in the file.
 */
class MetricsAgainstPytorchGradCamTest {

    @Test
    void roadAndConfidenceChangeMatchPytorchGradCam() throws IOException {
        JsonObject f;
        try (Reader r = new InputStreamReader(getClass().getResourceAsStream("/fixtures/gradcam-metrics.json"), StandardCharsets.UTF_8)) {
            f = JsonUtils.GSON.fromJson(r, JsonObject.class);
        }
        long[] shape = longs(f.getAsJsonArray("shape"));
        double[] weight = doubles(f.getAsJsonArray("weight"));
        double[] bias = doubles(f.getAsJsonArray("bias"));
        int classes = bias.length;
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            Linear linear = Linear.builder().setUnits(classes).build();
            linear.setInitializer((m, s, t) -> m.create(weight, s).toType(t, false), Parameter.Type.WEIGHT);
            linear.setInitializer((m, s, t) -> m.create(bias, s).toType(t, false), Parameter.Type.BIAS);
            SequentialBlock block = new SequentialBlock().add(Blocks.batchFlattenBlock()).add(linear);
            block.initialize(manager, DataType.FLOAT32, new Shape(shape));
            CamModel model = CamModel.of(block);
            Scorer scorer = Scorer.probability(model, new ParameterStore(manager, false), model.headNames().get(0), 64);
            NDArray images = manager.create(doubles(f.getAsJsonArray("images")), new Shape(shape)).toType(DataType.FLOAT32, false);
            NDArray cams = manager.create(doubles(f.getAsJsonArray("cams")), new Shape(shape[0], shape[2], shape[3]))
                    .toType(DataType.FLOAT32, false);
            NDArray cls = manager.create(longs(f.getAsJsonArray("classes")));
            MetricInput in = new MetricInput(images, cams, cls, null, null, scorer);
            List<Double> percentiles = new ArrayList<>();
            f.getAsJsonArray("percentiles").forEach(p -> percentiles.add(p.getAsDouble()));

            double[] road = new RoadCombined(percentiles, new NoisyLinearImputer(0, 0)).perImage(in);
            double[] change = new ConfidenceChange().perImage(in);
            double[] expectedRoad = doubles(f.getAsJsonArray("road_combined"));
            double[] expectedChange = doubles(f.getAsJsonArray("confidence_change"));
            for (int i = 0; i < shape[0]; i++) {
                // float32 probabilities on both sides; the imputation is solved in float64 here, by SciPy there
                assertEquals(expectedRoad[i], road[i], 2e-6, "road_combined of image " + i);
                assertEquals(expectedChange[i], change[i], 2e-6, "confidence_change of image " + i);
            }
        }
    }

    private static double[] doubles(JsonArray a) {
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsDouble();
        }
        return out;
    }

    private static long[] longs(JsonArray a) {
        long[] out = new long[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsLong();
        }
        return out;
    }
}
