package io.spotlight.trainer.run;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import io.spotlight.cam.model.MultiHeadBlock;
import io.spotlight.trainer.config.Cfg;
import io.spotlight.trainer.config.SpotlightConfigError;
import io.spotlight.trainer.data.Head;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds the model named by the {@code model} config group, one head per dataset head. */
public final class ModelFactory {
    private ModelFactory() {}

    /** A model and the short names of its target layers ({@code conv1} → {@code trunk/0}). */
    public record BuiltModel(MultiHeadBlock block, Map<String, String> layers) {
        /** Resolves a layer alias; any other name is taken as a path into the model. */
        public String layer(String nameOrPath) {
            return layers.getOrDefault(nameOrPath, nameOrPath);
        }
    }

    public static BuiltModel build(Cfg model, List<Head> heads) {
        String name = model.getStringIn("name", java.util.Set.of("small-cnn", "resnet", "simple-convnet"));
        if (name.equals("resnet")) {
            return resnet(model, heads);
        }
        if (name.equals("simple-convnet")) {
            return simpleConvNet(model, heads);
        }
        List<Integer> channels = model.raw().getIntList("channels");
        if (channels.size() != 2 || channels.stream().anyMatch(c -> c < 1)) {
            throw new SpotlightConfigError("model.channels must be two positive numbers, got " + channels);
        }
        int hidden = model.getInt("hidden", 1, 1 << 16);
        Block trunk = new SequentialBlock()
                .add(conv(channels.get(0)))
                .add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(2, 2)))
                .add(conv(channels.get(1)))
                .add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(2, 2)));
        return new BuiltModel(new MultiHeadBlock(trunk, mlpHeads(heads, hidden)), aliases(model));
    }

    /**
     * The XIL typology's SimpleConvNet (Friedrich et al. 2023, after Ross et al.'s Decoy-MNIST
     * network): conv 5×5 (20) → ReLU → maxpool 2 → conv 5×5 (50) → ReLU → maxpool 2, then per head
     * flatten (800 for 28×28) → linear 256 → ReLU → linear (classes). No padding, as in the paper's
     * code, so 28×28 inputs give 24×24 at conv1 and 4×4 features.
     */
    private static BuiltModel simpleConvNet(Cfg model, List<Head> heads) {
        List<Integer> channels = model.raw().getIntList("channels");
        int kernel = model.getInt("kernel", 1, 15);
        Block trunk = new SequentialBlock()
                .add(Conv2d.builder().setFilters(channels.get(0)).setKernelShape(new Shape(kernel, kernel)).build())
                .add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(2, 2)))
                .add(Conv2d.builder().setFilters(channels.get(1)).setKernelShape(new Shape(kernel, kernel)).build())
                .add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(2, 2)));
        return new BuiltModel(new MultiHeadBlock(trunk, mlpHeads(heads, model.getInt("hidden", 1, 1 << 16))), aliases(model));
    }

    /** Per head: flatten → linear(hidden) → ReLU → linear(classes). */
    private static Map<String, Block> mlpHeads(List<Head> heads, int hidden) {
        Map<String, Block> headBlocks = new LinkedHashMap<>();
        for (Head head : heads) {
            headBlocks.put(head.name(), new SequentialBlock()
                    .add(Blocks.batchFlattenBlock())
                    .add(Linear.builder().setUnits(hidden).build())
                    .add(Activation.reluBlock())
                    .add(Linear.builder().setUnits(head.numClasses()).build()));
        }
        return headBlocks;
    }

    /** The config's {@code layers} aliases ({@code conv1 = "trunk/0"}, ...). */
    private static Map<String, String> aliases(Cfg model) {
        Map<String, String> layers = new LinkedHashMap<>();
        if (model.has("layers")) {
            for (String alias : model.raw().getConfig("layers").root().keySet()) {
                layers.put(alias, model.getString("layers." + alias));
            }
        }
        return layers;
    }

    /**
     * DJL basic model zoo's ResNetV1 as the trunk, one Linear head per dataset head. DJL's ResNetV1
     * ends with global average pooling, flatten, {@code Linear(outSize)} and flatten: the last two
     * are removed, so the trunk outputs the pooled features [B, channels] and each head brings its
     * own classifier. Layer aliases: {@code stem} (the first convolution) and {@code features} (the
     * last residual unit, before the pooling), plus any in the config's {@code layers}. No
     * pretrained weights can be downloaded here; {@link ModelWeights} loads a user's parameter file
     * ({@code model.weights}).
     */
    private static BuiltModel resnet(Cfg model, List<Head> heads) {
        List<Integer> shape = model.raw().getIntList("image_shape");
        SequentialBlock trunk = ai.djl.basicmodelzoo.cv.classification.ResNetV1.builder()
                .setImageShape(new Shape(shape.get(0), shape.get(1), shape.get(2)))
                .setNumLayers(model.getInt("layers_count", 18, 152))
                .setOutSize(1)
                .build();
        trunk.removeLastBlock(); // the final flatten
        trunk.removeLastBlock(); // the classifier: each head brings its own
        Map<String, Block> headBlocks = new LinkedHashMap<>();
        for (Head head : heads) {
            headBlocks.put(head.name(), Linear.builder().setUnits(head.numClasses()).build());
        }
        Map<String, String> layers = new LinkedHashMap<>();
        int children = trunk.getChildren().size();
        layers.put("stem", "trunk/0");
        layers.put("features", "trunk/" + (children - 3)); // before global pooling and flatten
        layers.putAll(aliases(model));
        return new BuiltModel(new MultiHeadBlock(trunk, headBlocks), layers);
    }

    private static Conv2d conv(int filters) {
        return Conv2d.builder().setFilters(filters).setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).build();
    }
}
