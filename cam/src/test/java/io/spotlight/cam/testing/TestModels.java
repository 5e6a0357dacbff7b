package io.spotlight.cam.testing;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.initializer.NormalInitializer;
import io.spotlight.cam.model.MultiHeadBlock;
import java.util.LinkedHashMap;
import java.util.Map;

/** Small models used across the tests of cam/, losses/ and trainer/. */
public final class TestModels {
    private TestModels() {}

    /** conv(3x3, pad 1) → tanh → conv(3x3, pad 1) → tanh: smooth, so finite differences are exact. */
    public static SequentialBlock smoothTrunk(int channels) {
        return new SequentialBlock()
                .add(conv(channels, 3, 1))
                .add(Activation.tanhBlock())
                .add(conv(channels, 3, 1))
                .add(Activation.tanhBlock());
    }

    /** conv → relu → maxpool → conv → relu, as in the small CNNs Spotlight trains. */
    public static SequentialBlock reluTrunk(int channels) {
        return new SequentialBlock()
                .add(conv(channels, 3, 1))
                .add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(2, 2)))
                .add(conv(channels, 3, 1))
                .add(Activation.reluBlock());
    }

    public static Block linearHead(int classes) {
        return new SequentialBlock().add(Blocks.batchFlattenBlock()).add(Linear.builder().setUnits(classes).build());
    }

    public static Block mlpHead(int hidden, int classes) {
        return new SequentialBlock()
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(hidden).build())
                .add(Activation.tanhBlock())
                .add(Linear.builder().setUnits(classes).build());
    }

    /** 1×1 convolution to one channel per class → tanh → global average pool. */
    public static Block conv1x1Head(int classes) {
        return new SequentialBlock()
                .add(conv(classes, 1, 0))
                .add(Activation.tanhBlock())
                .add(Pool.globalAvgPool2dBlock());
    }

    /** Global average pool → linear: the head CAM is defined for. */
    public static Block gapLinearHead(int classes) {
        return new SequentialBlock()
                .add(Pool.globalAvgPool2dBlock())
                .add(Linear.builder().setUnits(classes).build());
    }

    public static Map<String, Block> heads(Object... nameThenBlock) {
        Map<String, Block> heads = new LinkedHashMap<>();
        for (int i = 0; i < nameThenBlock.length; i += 2) {
            heads.put((String) nameThenBlock[i], (Block) nameThenBlock[i + 1]);
        }
        return heads;
    }

    public static MultiHeadBlock multiHead(Block trunk, Object... nameThenBlock) {
        return new MultiHeadBlock(trunk, heads(nameThenBlock));
    }

    /** Initialises {@code block} with N(0, 0.5) weights for input [B, C, H, W] in {@code type}. */
    public static <B extends Block> B init(B block, NDManager manager, DataType type, Shape input) {
        block.setInitializer(new NormalInitializer(0.5f), Parameter.Type.WEIGHT);
        block.setInitializer(new NormalInitializer(0.1f), Parameter.Type.BIAS);
        block.initialize(manager, type, input);
        return block;
    }

    public static Conv2d conv(int filters, int kernel, int pad) {
        return Conv2d.builder()
                .setFilters(filters)
                .setKernelShape(new Shape(kernel, kernel))
                .optPadding(new Shape(pad, pad))
                .build();
    }

    /** An output that ignores its input and returns a learned vector: depends on no layer. */
    public static Block constantHead(int classes) {
        return new ConstantHead(classes);
    }

}
