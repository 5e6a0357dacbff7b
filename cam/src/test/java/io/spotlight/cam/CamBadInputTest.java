package io.spotlight.cam;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.spotlight.cam.map.CamMaps;
import io.spotlight.cam.method.CamMethods;
import io.spotlight.cam.model.CamModel;
import io.spotlight.cam.target.Targets;
import io.spotlight.cam.testing.TestModels;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad input fails with a message naming the culprit and what was expected. */
class CamBadInputTest {
    private static final Shape INPUT = new Shape(2, 1, 8, 8);
    private NDManager manager;
    private CamComputer computer;
    private ParameterStore ps;
    private NDArray x;
    private Map<String, NDArray> labels;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager("PyTorch");
        computer = new CamComputer(CamModel.of(TestModels.init(
                TestModels.multiHead(TestModels.reluTrunk(4),
                        "left", TestModels.linearHead(3),
                        "const", TestModels.constantHead(3)),
                manager, DataType.FLOAT32, INPUT)));
        ps = new ParameterStore(manager, false);
        x = manager.randomNormal(INPUT);
        labels = Map.of("left", manager.create(new long[] {0, 2}), "const", manager.create(new long[] {1, 1}));
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private static void assertMessage(Executable call, String... parts) {
        CamException e = assertThrows(CamException.class, call);
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "message '" + e.getMessage() + "' should name '" + part + "'");
        }
    }

    private CamResult compute(CamRequest.Builder request, Map<String, NDArray> labels) {
        return computer.compute(ps, x, labels, request.build());
    }

    @Test
    void unknownTargetLayer() {
        assertMessage(() -> compute(CamRequest.builder().layer("trunk/9").heads(List.of("left")), labels),
                "trunk/9", "'9'", "children are", "Conv2d");
        assertMessage(() -> compute(CamRequest.builder().layer("body").heads(List.of("left")), labels),
                "'body'", "trunk", "left");
    }

    @Test
    void headNotFound() {
        assertMessage(() -> compute(CamRequest.builder().layer("trunk").heads(List.of("right")), labels),
                "'right'", "[left, const]");
    }

    @Test
    void targetClassOutOfRange() {
        Map<String, NDArray> bad = Map.of("left", manager.create(new long[] {0, 5}));
        assertMessage(() -> compute(CamRequest.builder().layer("trunk").heads(List.of("left")), bad),
                "label 5", "'left'", "0..2");
        assertMessage(() -> compute(CamRequest.builder().layer("trunk").heads(List.of("left")).target(Targets.fixedClass(-1)), labels),
                "-1", "'left'", "0..2");
    }

    @Test
    void maskThatCannotBeFittedToTheMap() {
        NDArray map = manager.zeros(new Shape(2, 4, 4));
        assertMessage(() -> CamMaps.fitMask(manager.ones(new Shape(2, 3, 8, 8)), 2, 4, 4, "mask of head 'left'"),
                "mask of head 'left'", "one channel", "(2, 3, 8, 8)");
        assertMessage(() -> CamMaps.fitMask(manager.ones(new Shape(3, 1, 8, 8)), 2, 4, 4, "mask of head 'left'"),
                "[2, 1, H, W]", "(3, 8, 8)");
        assertMessage(() -> CamMaps.fitMask(manager.ones(new Shape(2, 1, 2, 2)), 2, 4, 4, "mask of head 'left'"),
                "2x2", "4x4");
        assertTrue(map.getShape().equals(CamMaps.fitMask(manager.ones(new Shape(2, 1, 8, 8)), 2, 4, 4, "m").getShape()));
    }

    @Test
    void headWhoseOutputDoesNotDependOnTheLayer() {
        // the "const" head ignores its input: its gradient w.r.t. the trunk does not exist
        assertMessage(() -> compute(CamRequest.builder().layer("trunk").heads(List.of("const")), labels),
                "'const'", "does not depend on target layer 'trunk'");
        // a layer inside another head
        assertMessage(() -> compute(CamRequest.builder().layer("left/0").heads(List.of("const")), labels),
                "'const'", "does not depend", "'left/0'", "inside head 'left'");
    }

    @Test
    void layerWithoutSpatialAxesAndUnknownMethod() {
        assertMessage(() -> compute(CamRequest.builder().layer("left/0").heads(List.of("left")), labels),
                "'left/0'", "[batch, channels, height, width]");
        assertMessage(() -> CamMethods.byName("gradcam3"), "'gradcam3'", "hirescam");
        // a whole-model method asked for where one layer's method is expected (a penalty, a snapshot)
        assertMessage(() -> CamMethods.byName("fullgrad"), "'fullgrad' reads the whole model", "only explain --method", "hirescam");
    }
}
