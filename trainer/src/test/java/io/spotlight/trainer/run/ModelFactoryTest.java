package io.spotlight.trainer.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.spotlight.cam.CamComputer;
import io.spotlight.cam.CamRequest;
import io.spotlight.cam.CamResult;
import io.spotlight.cam.model.CamModel;
import io.spotlight.trainer.data.TwoItemFashionMnist;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Models from config: a DJL ResNet trunk with any number of heads, layers by alias. */
class ModelFactoryTest {
    @Test
    void resnetTrunkWithTwoHeadsGivesMapsAtNamedLayers() {
        var c = Repo.compose(Repo.TRAIN, "model=resnet", "model.image_shape=[1,28,56]", "dataset=two-item-fmnist");
        ModelFactory.BuiltModel built = ModelFactory.build(c.cfg().at("model"), List.of(TwoItemFashionMnist.LEFT, TwoItemFashionMnist.RIGHT));
        Shape in = new Shape(2, 1, 28, 56);
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            built.block().initialize(m, DataType.FLOAT32, in);
            CamModel model = CamModel.of(built.block());
            assertEquals(List.of("left", "right"), model.headNames());
            NDArray x = m.randomUniform(0, 1, in);
            CamResult r = new CamComputer(model).compute(new ParameterStore(m, false), x,
                    Map.of("left", m.create(new long[] {1, 2}), "right", m.create(new long[] {3, 4})),
                    CamRequest.builder().layers(List.of(built.layer("stem"), built.layer("last"))).training(false).build());
            assertEquals(new Shape(2, 10), r.output("left").getShape());
            assertEquals(new Shape(2, 28, 56), r.map("right", built.layer("stem")).getShape(), "the stem keeps the resolution");
            assertTrue(r.map("left", built.layer("last")).getShape().get(1) < 28);
            // the trunk ends with the pooled features (64 channels in ResNet-20), not DJL's own classifier
            assertEquals(new Shape(2, 64), built.block().getTrunk().getOutputShapes(new Shape[] {in})[0]);
        }
    }
}
