package io.spotlight.cam.fullgrad;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.JsonUtils;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.spotlight.cam.model.CamModel;
import io.spotlight.cam.testing.TestModels;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * FullGrad against pytorch-grad-cam's {@code FullGrad} on numbers it computed once: {@code
 * fixtures/fullgrad.json}, written by {@code scripts/fullgrad-fixture.py} (grad-cam 1.5.5, torch
 * 2.7.1). The model (conv → BatchNorm → ReLU → max-pool → conv → ReLU → flatten → linear) is
 * rebuilt here from the parameters in the file.
 */
class FullGradAgainstPytorchGradCamTest {

    @Test
    void mapsMatchPytorchGradCam() throws IOException {
        JsonObject f;
        try (Reader r = new InputStreamReader(getClass().getResourceAsStream("/fixtures/fullgrad.json"), StandardCharsets.UTF_8)) {
            f = JsonUtils.GSON.fromJson(r, JsonObject.class);
        }
        long[] shape = longs(f.getAsJsonArray("shape"));
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            Block conv1 = with(f, TestModels.conv(3, 3, 1), "conv1_weight", Parameter.Type.WEIGHT, "conv1_bias", Parameter.Type.BIAS);
            BatchNorm bn = BatchNorm.builder().optEpsilon((float) f.get("bn_eps").getAsDouble()).build();
            with(f, bn, "bn_weight", Parameter.Type.GAMMA, "bn_bias", Parameter.Type.BETA);
            with(f, bn, "bn_running_mean", Parameter.Type.RUNNING_MEAN, "bn_running_var", Parameter.Type.RUNNING_VAR);
            Block conv2 = with(f, TestModels.conv(2, 3, 1), "conv2_weight", Parameter.Type.WEIGHT, "conv2_bias", Parameter.Type.BIAS);
            Block linear = with(f, Linear.builder().setUnits(f.getAsJsonArray("linear_bias").size()).build(),
                    "linear_weight", Parameter.Type.WEIGHT, "linear_bias", Parameter.Type.BIAS);
            SequentialBlock block = new SequentialBlock().add(conv1).add(bn).add(Activation.reluBlock())
                    .add(Pool.maxPool2dBlock(new Shape(2, 2))).add(conv2).add(Activation.reluBlock())
                    .add(Blocks.batchFlattenBlock()).add(linear);
            // float64 here, float32 there: the difference is pytorch-grad-cam's rounding
            block.initialize(manager, DataType.FLOAT64, new Shape(shape));
            FullGrad fullGrad = new FullGrad(CamModel.of(block));
            assertEquals(List.of("0", "1", "4"), fullGrad.layers());
            NDArray images = manager.create(doubles(f.getAsJsonArray("images")), new Shape(shape));
            NDArray maps = fullGrad.map(new ParameterStore(manager, false), images, "out",
                    manager.create(longs(f.getAsJsonArray("classes"))));
            double[] expected = doubles(f.getAsJsonArray("fullgrad"));
            double[] actual = maps.toDoubleArray();
            assertEquals(expected.length, actual.length);
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], actual[i], 1e-6, "pixel " + i);
            }
        }
    }

    private static Block with(JsonObject f, Block block, String a, Parameter.Type ta, String b, Parameter.Type tb) {
        double[] va = doubles(f.getAsJsonArray(a));
        double[] vb = doubles(f.getAsJsonArray(b));
        block.setInitializer(fixed(va), ta);
        block.setInitializer(fixed(vb), tb);
        return block;
    }

    private static Initializer fixed(double[] values) {
        return (m, s, t) -> m.create(values, s).toType(t, false);
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
