package io.spotlight.trainer.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.basicmodelzoo.cv.classification.ResNetV1;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.spotlight.trainer.config.ComposedConfig;
import io.spotlight.trainer.config.ConfigRenderer;
import io.spotlight.trainer.config.SpotlightConfigError;
import io.spotlight.trainer.data.FashionMnistBasedDataset;
import io.spotlight.trainer.data.Head;
import io.spotlight.trainer.data.TwoItemFashionMnist;
import io.spotlight.trainer.explain.RunModel;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code model.weights}: a DJL parameter file of a whole model or a trunk, loaded before training. */
class ModelWeightsTest {
    private static final String[] RESNET = {"model=resnet", "dataset=fmnist", "dataset.train_size=64", "dataset.test_size=50",
        "batch_size=32", "eval_batch_size=50", "epochs=1", "guidance=none", "eval.cam_samples=10", "checkpoint.enabled=false"};
    private static final Shape MNIST = new Shape(1, 28, 28);
    private static final List<Head> ONE_HEAD = List.of(FashionMnistBasedDataset.LABEL_HEAD);

    @TempDir
    static Path shared;
    private static Path run1;
    private static Path saved;

    @BeforeAll
    static void oneResnetRun() throws Exception {
        run1 = Files.createDirectories(shared.resolve("run1"));
        train(compose(), run1);
        saved = run1.resolve("model/model-0000.params");
    }

    private static ComposedConfig compose(String... more) {
        List<String> all = new ArrayList<>(List.of(RESNET));
        all.addAll(List.of(more));
        return Repo.compose(Repo.TRAIN, all.toArray(String[]::new));
    }

    private static Map<String, Object> train(ComposedConfig c, Path dir) throws Exception {
        ConfigRenderer.save(dir, c);
        return new GuidedTraining(c, dir, RunLauncher.standardListeners(c, dir, null)).run();
    }

    /** The model of {@code c}, with {@code model.weights} loaded as a run would. */
    private static ModelFactory.BuiltModel loaded(ComposedConfig c, List<Head> heads, Shape image, NDManager m) {
        ModelFactory.BuiltModel built = ModelFactory.build(c.cfg().at("model"), heads);
        assertTrue(ModelWeights.loadConfigured(c.cfg().at("model"), built, m, image).isPresent());
        return built;
    }

    private static List<float[]> values(Block block) {
        List<float[]> out = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            out.add(p.getValue().getArray().toType(DataType.FLOAT32, false).toFloatArray());
        }
        return out;
    }

    private static void assertSameValues(List<float[]> expected, List<float[]> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), "parameter " + i);
        }
    }

    @Test
    void aWholeModelFromOneRunLoadsIntoTheNextWithEqualParametersAndOutputs() {
        ComposedConfig c = compose("model.weights=" + saved, "model.weights_scope=all");
        try (RunModel reference = RunModel.load(run1); NDManager m = NDManager.newBaseManager("PyTorch")) {
            ModelFactory.BuiltModel built = loaded(c, ONE_HEAD, MNIST, m);
            assertSameValues(values(reference.built().block()), values(built.block()));
            NDArray x = m.randomUniform(0, 1, new Shape(4, 1, 28, 28));
            NDArray ours = built.block().forward(new ParameterStore(m, false), new NDList(x), false).head();
            NDArray theirs = reference.built().block().forward(reference.parameters(), new NDList(x), false).head();
            assertArrayEquals(theirs.toFloatArray(), ours.toFloatArray(), 0f);
        }
    }

    @Test
    void aRunStartsFromTheFileBeforeItsFirstStep(@TempDir Path run2) throws Exception {
        // lr = 0: a run that starts from the file keeps its weights (only BatchNorm's running statistics move)
        train(compose("model.weights=" + saved, "optimizer.lr=0"), run2);
        try (RunModel first = RunModel.load(run1); RunModel second = RunModel.load(run2)) {
            var a = first.built().block().getParameters();
            var b = second.built().block().getParameters();
            int compared = 0;
            for (int i = 0; i < a.size(); i++) {
                if (a.get(i).getKey().contains("running") || !a.get(i).getKey().startsWith("01trunk")) {
                    continue; // the head was initialised afresh (scope trunk)
                }
                assertArrayEquals(a.get(i).getValue().getArray().toFloatArray(), b.get(i).getValue().getArray().toFloatArray(),
                        a.get(i).getKey());
                compared++;
            }
            assertTrue(compared > 20, "trunk weights compared: " + compared);
        }
    }

    @Test
    void theTrunkOfAWholeModelLoadsUnderNewHeads() {
        ComposedConfig c = Repo.compose(Repo.TRAIN, "model=resnet", "model.image_shape=[1,28,56]", "dataset=two-item-fmnist",
                "model.weights=" + saved);
        List<Head> twoHeads = List.of(TwoItemFashionMnist.LEFT, TwoItemFashionMnist.RIGHT);
        try (RunModel reference = RunModel.load(run1); NDManager m = NDManager.newBaseManager("PyTorch")) {
            ModelFactory.BuiltModel built = ModelFactory.build(c.cfg().at("model"), twoHeads);
            built.block().initialize(m, DataType.FLOAT32, new Shape(1, 1, 28, 56));
            List<float[]> headsBefore = values(built.block().getHeads().get("left"));
            ModelWeights.Loaded l = ModelWeights.load(saved, built.block(), ModelWeights.Scope.TRUNK, m);
            assertTrue(l.wholeModel());
            assertEquals(built.block().getTrunk().getParameters().size(), l.parameters());
            assertSameValues(values(reference.built().block().getTrunk()), values(built.block().getTrunk()));
            assertSameValues(headsBefore, values(built.block().getHeads().get("left")));

            SpotlightConfigError e = assertThrows(SpotlightConfigError.class,
                    () -> ModelWeights.load(saved, built.block(), ModelWeights.Scope.ALL, m));
            assertTrue(e.getMessage().contains(saved.toString()) && e.getMessage().contains("heads [left, right]"), e.getMessage());
        }
    }

    @Test
    void aTrunkFileAndADjlResnetWithItsOwnClassifierLoadAsTrunks(@TempDir Path dir) throws IOException {
        ComposedConfig c = compose();
        try (RunModel reference = RunModel.load(run1); NDManager m = NDManager.newBaseManager("PyTorch")) {
            Path trunkFile = save(reference.built().block().getTrunk(), dir.resolve("trunk.params"));
            ModelFactory.BuiltModel built = ModelFactory.build(c.cfg().at("model"), ONE_HEAD);
            built.block().initialize(m, DataType.FLOAT32, new Shape(1, 1, 28, 28));
            ModelWeights.Loaded l = ModelWeights.load(trunkFile, built.block(), ModelWeights.Scope.TRUNK, m);
            assertFalse(l.wholeModel());
            assertEquals(0, l.bytesIgnored());
            assertSameValues(values(reference.built().block().getTrunk()), values(built.block().getTrunk()));
            SpotlightConfigError all = assertThrows(SpotlightConfigError.class,
                    () -> ModelWeights.load(trunkFile, built.block(), ModelWeights.Scope.ALL, m));
            assertTrue(all.getMessage().contains("holds a trunk only"), all.getMessage());

            // a ResNetV1 as DJL users train it, classifier included: the trunk is its first children
            Block djl = ResNetV1.builder().setImageShape(MNIST).setNumLayers(20).setOutSize(7).build();
            djl.initialize(m, DataType.FLOAT32, new Shape(1, 1, 28, 28));
            Path djlFile = save(djl, dir.resolve("djl-resnet.params"));
            ModelWeights.Loaded d = ModelWeights.load(djlFile, built.block(), ModelWeights.Scope.TRUNK, m);
            assertTrue(d.bytesIgnored() > 7 * 64 * 4, "its classifier was left out: " + d.bytesIgnored());
            List<float[]> djlValues = values(djl);
            assertSameValues(djlValues.subList(0, d.parameters()), values(built.block().getTrunk()));
        }
    }

    @Test
    void errorsNameTheFileAndForAnotherArchitectureTheParameterAndBothShapes(@TempDir Path dir) throws IOException {
        Path missing = dir.resolve("nope.params");
        SpotlightConfigError e = assertThrows(SpotlightConfigError.class, () -> RunPreflight.check(compose("model.weights=" + missing)));
        assertTrue(e.getMessage().contains("model.weights: no such file " + missing), e.getMessage());

        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            // three input channels: the first convolution's weight has another shape
            ComposedConfig rgb = compose("model.image_shape=[3,28,28]");
            ModelFactory.BuiltModel built = ModelFactory.build(rgb.cfg().at("model"), ONE_HEAD);
            built.block().initialize(m, DataType.FLOAT32, new Shape(1, 3, 28, 28));
            e = assertThrows(SpotlightConfigError.class, () -> ModelWeights.load(saved, built.block(), ModelWeights.Scope.TRUNK, m));
            assertTrue(e.getMessage().contains(saved.toString()) && e.getMessage().contains("parameter 01Conv2d_weight has shape (16, 1, 3, 3) in " + saved)
                    && e.getMessage().contains("needs (16, 3, 3, 3)"), e.getMessage());

            // a small CNN's weights into a ResNet
            ModelFactory.BuiltModel cnn = ModelFactory.build(Repo.compose(Repo.TRAIN).cfg().at("model"), ONE_HEAD);
            cnn.block().initialize(m, DataType.FLOAT32, new Shape(1, 1, 28, 28));
            Path cnnFile = save(cnn.block(), dir.resolve("cnn.params"));
            ModelFactory.BuiltModel resnet = ModelFactory.build(compose().cfg().at("model"), ONE_HEAD);
            resnet.block().initialize(m, DataType.FLOAT32, new Shape(1, 1, 28, 28));
            e = assertThrows(SpotlightConfigError.class, () -> ModelWeights.load(cnnFile, resnet.block(), ModelWeights.Scope.ALL, m));
            assertTrue(e.getMessage().contains(cnnFile.toString()), e.getMessage());
        }
    }

    private static Path save(Block block, Path file) throws IOException {
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(file))) {
            block.saveParameters(out);
        }
        return file;
    }
}
