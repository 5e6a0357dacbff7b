package io.spotlight.cam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.spotlight.cam.method.CamMethods;
import io.spotlight.cam.model.CamModel;
import io.spotlight.cam.model.MultiHeadBlock;
import io.spotlight.cam.testing.TestModels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code precision = bf16}: the rounding is bfloat16's (checked bit by bit), how far the maps of
 * every method a guidance term can use are from float32's, and how far the gradient of a penalty on bfloat16 maps is from the float64
 * gradient (the float64 path is the one checked against finite differences in
 * {@link CamGradientCheckTest}; a finite difference of a bfloat16 function measures its rounding,
 * not its derivative).
 */
class Bf16MapsTest {
    /**
     * Worst |map_bf16 - map_fp32| / max|map_fp32| of an image. bfloat16 keeps 8 significant bits:
     * each rounded input is off by at most 2^-9 relatively, a product of two by ~2^-8, and the
     * rounded result by another 2^-9; summing K channels whose contributions partly cancel can
     * make a cell's error a few times that of the map's largest value. 2^-5 (3.1 %) is eight times
     * the one-rounding error of the largest product: well above what is measured (printed), well
     * below a map that is wrong.
     */
    static final double MAP_BOUND = 1.0 / 32;
    /** ||grad_bf16 - grad_fp64|| / ||grad_fp64|| of a penalty on the maps: the same 2^-5, argued as above. */
    static final double GRADIENT_BOUND = 1.0 / 32;

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager("PyTorch");
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private MultiHeadBlock model(DataType type) {
        manager.getEngine().setRandomSeed(3);
        return TestModels.init(TestModels.multiHead(TestModels.reluTrunk(8), "gap", TestModels.gapLinearHead(4)),
                manager, type, new Shape(6, 1, 16, 16));
    }

    private CamResult maps(CamModel model, NDArray x, NDArray labels, String method, Precision p) {
        CamRequest request = CamRequest.builder().layer("trunk").method(CamMethods.byName(method)).precision(p)
                .training(false).build();
        return new CamComputer(model).compute(new ParameterStore(manager, false), x, Map.of("gap", labels), request);
    }

    @Test
    void roundingGivesTheNearestBfloat16AsTheBitsDo() {
        manager.getEngine().setRandomSeed(11);
        // values across many binades, both signs, zero, and the ties and near-powers-of-two that
        // an exponent from log2 gets wrong
        float[] random = manager.randomNormal(new Shape(20000)).mul(manager.randomUniform(-30, 30, new Shape(20000)).exp())
                .toFloatArray();
        float[] special = {0f, -0f, 1f, 0.99999994f, 1.9999999f, 2f, 3.0078125f, 1.00390625f, 1.01171875f, -1.00390625f,
            65535.996f, 1e-30f, 3.4e38f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_NORMAL, 1.5f * Float.MIN_NORMAL};
        float[] all = new float[random.length + special.length];
        System.arraycopy(random, 0, all, 0, random.length);
        System.arraycopy(special, 0, all, random.length, special.length);
        float[] rounded = Bf16.round(manager.create(all)).toFloatArray();
        for (int i = 0; i < all.length; i++) {
            assertEquals(bitRounded(all[i]), rounded[i], 0f, "bfloat16 of " + all[i]);
        }
        org.junit.jupiter.api.Assertions.assertArrayEquals(rounded, Bf16.round(manager.create(rounded)).toFloatArray(),
                "rounding is idempotent");
    }

    /** The float32 whose upper 16 bits are the bfloat16 nearest to {@code f} (ties to even). */
    static float bitRounded(float f) {
        int bits = Float.floatToIntBits(f);
        bits += 0x7FFF + ((bits >>> 16) & 1);
        return Float.intBitsToFloat(bits & 0xFFFF0000);
    }

    @Test
    void everyDifferentiableMethodsBf16MapAgreesWithFp32WithinTheBound() {
        MultiHeadBlock block = model(DataType.FLOAT32);
        CamModel model = CamModel.of(block);
        manager.getEngine().setRandomSeed(5);
        NDArray x = manager.randomUniform(0, 1, new Shape(6, 1, 16, 16));
        NDArray labels = manager.create(new long[] {0, 1, 2, 3, 0, 1});
        for (String method : List.of("gradcam", "gradcam++", "xgradcam", "layercam", "hirescam", "hirescam-abs", "cam")) {
            NDArray full = maps(model, x, labels, method, Precision.FP32).map("gap", "trunk");
            NDArray half = maps(model, x, labels, method, Precision.BF16).map("gap", "trunk");
            assertEquals(DataType.FLOAT32, half.getDataType(), method + ": the map comes back in the activations' type");
            double worst = worstNormalisedError(full, half);
            System.out.printf("bf16 %-13s worst |diff|/max|map| %.2e%n", method, worst);
            assertTrue(worst <= MAP_BOUND, method + ": " + worst);
            assertNotEquals(0.0, worst, method + ": a bf16 map identical to fp32's was not rounded");
        }
    }

    static double worstNormalisedError(NDArray full, NDArray half) {
        long b = full.getShape().get(0);
        double worst = 0;
        for (long i = 0; i < b; i++) {
            double[] f = full.get(i).toType(DataType.FLOAT64, false).toDoubleArray();
            double[] h = half.get(i).toType(DataType.FLOAT64, false).toDoubleArray();
            double max = 0;
            double diff = 0;
            for (int k = 0; k < f.length; k++) {
                max = Math.max(max, Math.abs(f[k]));
                diff = Math.max(diff, Math.abs(f[k] - h[k]));
            }
            worst = Math.max(worst, max == 0 ? diff : diff / max);
        }
        return worst;
    }

    @Test
    void theGradientOfAPenaltyOnBf16MapsIsTheFloat64GradientWithinTheBound() {
        for (String method : List.of("hirescam", "gradcam", "layercam", "cam")) {
            double[] exact = gradient(method, Precision.FP32);
            double[] half = gradient(method, Precision.BF16);
            double diff = 0;
            double norm = 0;
            for (int i = 0; i < exact.length; i++) {
                diff += (half[i] - exact[i]) * (half[i] - exact[i]);
                norm += exact[i] * exact[i];
            }
            double relative = Math.sqrt(diff / norm);
            System.out.printf("bf16 %-9s exact-mode gradient vs float64: relative L2 error %.2e over %d parameters%n",
                    method, relative, exact.length);
            assertTrue(relative <= GRADIENT_BOUND, method + ": " + relative);
            assertTrue(relative > 0, method + ": the bf16 gradient should carry bf16's rounding");
        }
    }

    /** d/dθ of sum(map * R) + 0.1 sum(map^2) for a float64 model, the maps in {@code p}. */
    private double[] gradient(String method, Precision p) {
        MultiHeadBlock block = model(DataType.FLOAT64);
        CamModel model = CamModel.of(block);
        manager.getEngine().setRandomSeed(5);
        NDArray x = manager.randomUniform(0, 1, new Shape(6, 1, 16, 16)).toType(DataType.FLOAT64, false);
        NDArray labels = manager.create(new long[] {0, 1, 2, 3, 0, 1});
        NDArray r = manager.randomNormal(new Shape(6, 8, 8)).toType(DataType.FLOAT64, false);
        CamRequest request = CamRequest.builder().layer("trunk").method(CamMethods.byName(method)).precision(p).build();
        try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
            NDArray map = new CamComputer(model).compute(new ParameterStore(manager, false), x, Map.of("gap", labels), request)
                    .map("gap", "trunk");
            assertEquals(DataType.FLOAT64, map.getDataType());
            gc.backward(map.mul(r).sum().add(map.square().sum().mul(0.1)));
        }
        List<Double> all = new ArrayList<>();
        for (Pair<String, Parameter> param : block.getParameters()) {
            for (double v : param.getValue().getArray().getGradient().toType(DataType.FLOAT64, false).toDoubleArray()) {
                all.add(v);
            }
        }
        return all.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
