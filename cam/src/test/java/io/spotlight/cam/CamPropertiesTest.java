package io.spotlight.cam;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.basicmodelzoo.cv.classification.ResNetV1;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.spotlight.cam.autograd.Autograd;
import io.spotlight.cam.method.CamMethods;
import io.spotlight.cam.model.CamModel;
import io.spotlight.cam.model.MultiHeadBlock;
import io.spotlight.cam.testing.TestModels;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Properties that hold on random models: head separation, Grad-CAM vs CAM, ordinary DJL models. */
class CamPropertiesTest {
    private NDManager manager;
    private ParameterStore ps;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager("PyTorch");
        manager.getEngine().setRandomSeed(3);
        ps = new ParameterStore(manager, false);
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private CamComputer twoHeads(Shape input) {
        MultiHeadBlock model = TestModels.init(
                TestModels.multiHead(TestModels.reluTrunk(4),
                        "a", TestModels.linearHead(3),
                        "b", TestModels.mlpHead(5, 3)),
                manager, DataType.FLOAT32, input);
        return new CamComputer(CamModel.of(model));
    }

    @Test
    void eachOfSeveralHeadsReadsTheTrunkOutputThroughItsOwnViewAndALoneHeadReadsItDirectly() {
        Shape shape = new Shape(2, 1, 8, 8);
        CamModel two = twoHeads(shape).model();
        var layer = two.layer("trunk");
        var taps = two.forward(ps, manager.randomNormal(shape), true, List.of(layer));
        NDArray a = taps.activation(layer, 0);
        NDArray b = taps.activation(layer, 1);
        assertTrue(a != b, "two heads: one view each, so one backward separates their gradients");
        assertTrue(taps.isHeadSpecific(layer, 0) && taps.isHeadSpecific(layer, 1));
        assertArrayEquals(a.toFloatArray(), b.toFloatArray());

        MultiHeadBlock lone = TestModels.init(TestModels.multiHead(TestModels.reluTrunk(4), "only", TestModels.linearHead(3)),
                manager, DataType.FLOAT32, shape);
        CamModel one = CamModel.of(lone);
        var oneLayer = one.layer("trunk");
        var oneTaps = one.forward(ps, manager.randomNormal(shape), true, List.of(oneLayer, one.layer("trunk/0")));
        // no view is made for a lone head (one op and its backward less a step): what it reads is its own anyway
        assertTrue(oneTaps.isHeadSpecific(oneLayer, 0));
        assertTrue(oneTaps.isHeadSpecific(one.layer("trunk/0"), 0), "a lone head reads every layer alone");
    }

    @Test
    void perHeadGradientsFromOneCallEqualOneCallPerHead() {
        Shape shape = new Shape(4, 1, 8, 8);
        CamComputer computer = twoHeads(shape);
        NDArray x = manager.randomNormal(shape);
        Map<String, NDArray> labels = Map.of("a", manager.create(new long[] {0, 1, 2, 0}),
                "b", manager.create(new long[] {2, 2, 1, 0}));
        for (List<String> layers : List.of(List.of("trunk"), List.of("trunk/0"), List.of("trunk/0", "trunk"))) {
            for (String method : List.of("gradcam", "hirescam")) {
                CamRequest.Builder both = CamRequest.builder().layers(layers).method(CamMethods.byName(method));
                long before = Autograd.calls();
                CamResult together = computer.compute(ps, x, labels, both.build());
                assertEquals(1, Autograd.calls() - before, "all heads and layers share one autograd call");
                for (String head : List.of("a", "b")) {
                    CamResult alone = computer.compute(ps, x, labels,
                            CamRequest.builder().layers(layers).method(CamMethods.byName(method)).heads(List.of(head)).build());
                    for (String layer : layers) {
                        assertArrayEquals(alone.map(head, layer).toFloatArray(), together.map(head, layer).toFloatArray(), 1e-6f,
                                method + " " + head + " at " + layer);
                    }
                }
            }
        }
    }

    @Test
    void gradCamEqualsCamUpToAPositiveFactorPerSample() {
        Shape shape = new Shape(5, 1, 8, 8);
        MultiHeadBlock model = TestModels.init(
                TestModels.multiHead(TestModels.reluTrunk(6), "gap", TestModels.gapLinearHead(4)),
                manager, DataType.FLOAT32, shape);
        CamComputer computer = new CamComputer(CamModel.of(model));
        NDArray x = manager.randomNormal(shape);
        Map<String, NDArray> labels = Map.of("gap", manager.create(new long[] {0, 1, 2, 3, 1}));
        NDArray grad = computer.compute(ps, x, labels, CamRequest.builder().layer("trunk").build()).map("gap", "trunk");
        NDArray cam = computer.compute(ps, x, labels,
                CamRequest.builder().layer("trunk").method(CamMethods.byName("cam")).build()).map("gap", "trunk");
        long cells = grad.getShape().get(1) * grad.getShape().get(2);
        for (int b = 0; b < 5; b++) {
            float[] g = grad.get(b).toFloatArray();
            float[] c = cam.get(b).toFloatArray();
            for (int i = 0; i < g.length; i++) {
                // d(mean-pool)/dA = 1/(h*w): Grad-CAM = CAM / (h*w), a positive factor
                assertEquals(c[i] / cells, g[i], 1e-5 * (1 + Math.abs(c[i])), "sample " + b + " cell " + i);
            }
        }
    }

    @Test
    void worksOnDjlsResNetByIndexingLayers() {
        Shape shape = new Shape(2, 3, 32, 32);
        Block resnet = ResNetV1.builder().setImageShape(new Shape(3, 32, 32)).setNumLayers(18).setOutSize(10).build();
        resnet.initialize(manager, DataType.FLOAT32, shape);
        CamModel model = CamModel.of(resnet);
        CamComputer computer = new CamComputer(model);
        NDArray x = manager.randomNormal(shape);
        // child 0 is the stem convolution; the residual units come after it
        List<String> layers = List.of("0", "2", "5");
        CamResult r = computer.compute(ps, x, Map.of("out", manager.create(new long[] {3, 7})),
                CamRequest.builder().layers(layers).method(CamMethods.byName("gradcam")).training(false).build());
        for (String layer : layers) {
            NDArray m = r.map("out", layer);
            assertEquals(2, m.getShape().get(0));
            assertTrue(m.getShape().get(1) >= 4, layer + " " + m.getShape());
            assertTrue(m.abs().sum().getFloat() > 0, "non-trivial map at " + layer);
            assertTrue(Float.isFinite(m.sum().getFloat()));
        }
        assertEquals(32, r.map("out", "0").getShape().get(1), "the stem keeps the input resolution");
    }

    @Test
    void mapsStayOnTheInputsDevice() {
        Shape shape = new Shape(2, 1, 8, 8);
        CamComputer computer = twoHeads(shape);
        NDArray x = manager.randomNormal(shape);
        CamResult r = computer.compute(ps, x, Map.of("a", manager.create(new long[] {0, 1}), "b", manager.create(new long[] {1, 1})),
                CamRequest.builder().layer("trunk/0").build());
        NDArray up = io.spotlight.cam.map.CamMaps.resize(r.map("a", "trunk/0"), 16, 16);
        assertEquals(x.getDevice(), r.map("a", "trunk/0").getDevice());
        assertEquals(x.getDevice(), up.getDevice());
        assertEquals(x.getDevice(), r.probabilities("b").getDevice());
    }
}
