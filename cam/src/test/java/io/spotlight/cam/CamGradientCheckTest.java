package io.spotlight.cam;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.spotlight.cam.method.CamMethod;
import io.spotlight.cam.method.CamMethods;
import io.spotlight.cam.model.CamModel;
import io.spotlight.cam.model.LayerPath;
import io.spotlight.cam.model.MultiHeadBlock;
import io.spotlight.cam.model.Taps;
import io.spotlight.cam.testing.GradCheck;
import io.spotlight.cam.testing.TestModels;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The maps are differentiable functions of the parameters: a loss on them has the gradient that
 * central finite differences in float64 measure, for every differentiable method, both gradient
 * modes, three head kinds, and a map at an early layer with the rest of the network after it.
 */
class CamGradientCheckTest {
    private static final int CLASSES = 3;
    private static final Shape INPUT = new Shape(3, 2, 6, 6);
    private static final double BOUND = 1e-4;

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager("PyTorch");
    }

    @AfterEach
    void close() {
        manager.close();
    }

    static Stream<Arguments> methodsAndHeads() {
        List<Arguments> cases = new ArrayList<>();
        for (String method : List.of("gradcam", "gradcam++", "xgradcam", "layercam", "hirescam", "hirescam-abs")) {
            for (String head : List.of("linear", "mlp", "conv1x1")) {
                cases.add(Arguments.of(method, head));
            }
        }
        cases.add(Arguments.of("cam", "gap-linear"));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} on a {1} head, exact")
    @MethodSource("methodsAndHeads")
    void exactModeMatchesFiniteDifferences(String method, String head) {
        Check check = new Check(singleHead(head), List.of("trunk"), CamMethods.byName(method));
        GradCheck.Result r = check.exact();
        System.out.printf("exact    %-10s %-10s worst rel. error %.2e over %d coords (%s)%n",
                method, head, r.worstRelativeError(), r.coordinates(), r.worstAt());
        assertTrue(r.worstRelativeError() < BOUND, r.toString());
    }

    @ParameterizedTest(name = "{0} on a {1} head, constant weights")
    @MethodSource("methodsAndHeads")
    void constantWeightsModeMatchesFiniteDifferencesWithWeightsHeld(String method, String head) {
        Check check = new Check(singleHead(head), List.of("trunk"), CamMethods.byName(method));
        GradCheck.Result r = check.constantWeights();
        System.out.printf("constant %-10s %-10s worst rel. error %.2e over %d coords (%s)%n",
                method, head, r.worstRelativeError(), r.coordinates(), r.worstAt());
        assertTrue(r.worstRelativeError() < BOUND, r.toString());
    }

    @Test
    void earlyLayerMapWithTheRestOfTheNetworkAfterIt() {
        // Map at the first convolution; three different heads read the trunk after it.
        MultiHeadBlock model = TestModels.multiHead(
                TestModels.smoothTrunk(4),
                "linear", TestModels.linearHead(CLASSES),
                "mlp", TestModels.mlpHead(5, CLASSES),
                "conv1x1", TestModels.conv1x1Head(CLASSES));
        // Grad-CAM++ is left out here: with tanh activations sum_ij(A) can be negative, and its
        // alpha = g^2 / (2 g^2 + sum(A) g^3) then has poles where gradients reach 1e10 and central
        // differences lose their accuracy (the per-head checks above cover Grad-CAM++).
        for (String method : List.of("gradcam", "hirescam", "xgradcam", "layercam")) {
            Check check = new Check(model, List.of("trunk/0", "trunk"), CamMethods.byName(method));
            GradCheck.Result r = check.exact();
            System.out.printf("early layer + trunk output, 3 heads, %-9s exact: %.2e (%s)%n",
                    method, r.worstRelativeError(), r.worstAt());
            assertTrue(r.worstRelativeError() < BOUND, r.toString());
            r = check.constantWeights();
            System.out.printf("early layer + trunk output, 3 heads, %-9s constant: %.2e%n",
                    method, r.worstRelativeError());
            assertTrue(r.worstRelativeError() < BOUND, r.toString());
        }
    }

    @Test
    void theSecondOrderTermMatters() {
        // With a non-linear head the exact gradient differs from the constant-weights one: the
        // two modes are really different computations.
        Check check = new Check(singleHead("mlp"), List.of("trunk"), CamMethods.byName("gradcam"));
        double[] exact = check.analyticGradient(GradientMode.EXACT);
        double[] constant = check.analyticGradient(GradientMode.CONSTANT_WEIGHTS);
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < exact.length; i++) {
            diff += Math.abs(exact[i] - constant[i]);
            norm += Math.abs(exact[i]);
        }
        System.out.printf("exact vs constant-weights gradient: relative L1 difference %.3f%n", diff / norm);
        assertTrue(diff / norm > 1e-2, "modes should differ, relative difference " + diff / norm);
    }

    private MultiHeadBlock singleHead(String kind) {
        Block head;
        switch (kind) {
            case "linear":
                head = TestModels.linearHead(CLASSES);
                break;
            case "mlp":
                head = TestModels.mlpHead(5, CLASSES);
                break;
            case "conv1x1":
                head = TestModels.conv1x1Head(CLASSES);
                break;
            default:
                head = TestModels.gapLinearHead(CLASSES);
        }
        return TestModels.multiHead(TestModels.smoothTrunk(4), kind, head);
    }

    /** One model, layers and method; a smooth loss on every map; analytic vs numeric gradients. */
    private final class Check {
        final MultiHeadBlock block;
        final CamModel model;
        final List<String> layers;
        final CamMethod method;
        final NDArray input;
        final Map<String, NDArray> labels = new HashMap<>();
        final Map<String, NDArray> probes = new HashMap<>();
        final ParameterStore ps;

        Check(MultiHeadBlock block, List<String> layers, CamMethod method) {
            this.block = TestModels.init(block, manager, DataType.FLOAT64, INPUT);
            this.model = CamModel.of(block);
            this.layers = layers;
            this.method = method;
            manager.getEngine().setRandomSeed(7);
            this.input = manager.randomNormal(INPUT, DataType.FLOAT64);
            for (String head : model.headNames()) {
                labels.put(head, manager.create(new long[] {0, 2, 1}));
            }
            this.ps = new ParameterStore(manager, false);
        }

        CamRequest request(GradientMode mode) {
            return CamRequest.builder().layers(layers).method(method).mode(mode).build();
        }

        /** sum over heads and layers of sum(map * R) + 0.1 sum(map^2), R fixed and random. */
        NDArray loss(Map<String, NDArray> maps) {
            NDArray total = null;
            for (Map.Entry<String, NDArray> e : maps.entrySet()) {
                NDArray m = e.getValue();
                NDArray r = probes.computeIfAbsent(e.getKey(), k -> manager.randomNormal(m.getShape(), DataType.FLOAT64));
                NDArray term = m.mul(r).sum().add(m.square().sum().mul(0.1));
                total = total == null ? term : total.add(term);
            }
            return total;
        }

        Map<String, NDArray> maps(CamResult result) {
            Map<String, NDArray> maps = new LinkedHashMap<>();
            for (String head : result.heads()) {
                for (String layer : layers) {
                    maps.put(head + "@" + layer, result.map(head, layer));
                }
            }
            return maps;
        }

        void backward(GradientMode mode) {
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                CamResult result = new CamComputer(model).compute(ps, input, labels, request(mode));
                gc.backward(loss(maps(result)));
            }
        }

        double value(Supplier<Map<String, NDArray>> maps) {
            return loss(maps.get()).getDouble();
        }

        GradCheck.Result exact() {
            CamComputer computer = new CamComputer(model);
            return new GradCheck(block, manager, 1e-6, 4, 11).run(
                    () -> backward(GradientMode.EXACT),
                    () -> value(() -> maps(computer.compute(ps, input, labels, request(GradientMode.EXACT)))));
        }

        /** Numeric side: the weights computed once at the starting parameters, then held fixed. */
        GradCheck.Result constantWeights() {
            CamResult at0 = new CamComputer(model).compute(ps, input, labels, request(GradientMode.CONSTANT_WEIGHTS));
            List<LayerPath> paths = new ArrayList<>();
            layers.forEach(l -> paths.add(model.layer(l)));
            return new GradCheck(block, manager, 1e-6, 4, 13).run(
                    () -> backward(GradientMode.CONSTANT_WEIGHTS),
                    () -> value(() -> {
                        Taps taps = model.forward(ps, input, true, paths);
                        Map<String, NDArray> maps = new LinkedHashMap<>();
                        for (String head : model.headNames()) {
                            for (int l = 0; l < layers.size(); l++) {
                                NDArray a = taps.activation(paths.get(l), model.headIndex(head));
                                maps.put(head + "@" + layers.get(l),
                                        CamMethod.combine(at0.weights(head, layers.get(l)), a));
                            }
                        }
                        return maps;
                    }));
        }

        double[] analyticGradient(GradientMode mode) {
            block.getParameters().forEach(p -> {
                NDArray a = p.getValue().getArray();
                if (a.hasGradient()) {
                    a.getGradient().subi(a.getGradient());
                }
            });
            backward(mode);
            List<Double> all = new ArrayList<>();
            block.getParameters().forEach(p -> {
                for (double v : p.getValue().getArray().getGradient().toType(DataType.FLOAT64, false).toDoubleArray()) {
                    all.add(v);
                }
            });
            return all.stream().mapToDouble(Double::doubleValue).toArray();
        }
    }
}
