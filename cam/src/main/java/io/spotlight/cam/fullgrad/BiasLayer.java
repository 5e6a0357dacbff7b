package io.spotlight.cam.fullgrad;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import io.spotlight.cam.CamException;
import io.spotlight.cam.model.CamModel;
import io.spotlight.cam.model.LayerPath;
import io.spotlight.cam.model.MultiHeadBlock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A layer whose bias FullGrad reads: a {@link Conv2d} with a bias or a 2-d {@link BatchNorm}, as
 * pytorch-grad-cam's {@code layer_with_2D_bias} (Linear layers' biases are not used).
 */
record BiasLayer(LayerPath path, Block block) {

    static boolean hasBias(Block block) {
        if (block instanceof Conv2d) {
            return ((Conv2d) block).isIncludeBias();
        }
        return block instanceof BatchNorm && isSpatial(block);
    }

    /**
     * The per-channel bias [1, K, 1, 1] in {@code like}'s type and device, detached. It is what the
     * layer outputs for a zero input: a convolution's bias, and for BatchNorm in eval mode, {@code
     * γ(0 − μ)/√(σ² + ε) + β}, the effective bias pytorch-grad-cam uses ({@code bias − running_mean ·
     * weight / sqrt(running_var + eps)}); read this way because DJL keeps BatchNorm's ε private.
     */
    NDArray bias(ParameterStore ps, NDArray like) {
        NDArray b;
        if (block instanceof Conv2d) {
            b = ps.getValue(block.getParameters().get("bias"), like.getDevice(), false);
        } else {
            NDArray gamma = ps.getValue(block.getParameters().get("gamma"), like.getDevice(), false);
            NDArray zero = like.getManager().zeros(new Shape(1, gamma.getShape().get(0), 1, 1), like.getDataType(), like.getDevice());
            b = block.forward(ps, new NDList(zero), false).singletonOrThrow();
        }
        return b.stopGradient().toType(like.getDataType(), false).reshape(1, -1, 1, 1);
    }

    /**
     * Every bias layer of the model that Spotlight can tap (inside SequentialBlocks and the
     * MultiHeadBlock), named as paths ({@code trunk/0}, {@code left/1}).
     *
     * @throws CamException when bias layers lie inside another kind of block (a residual unit),
     *     whose inside the forward cannot tap: FullGrad without them would not be FullGrad
     */
    static List<BiasLayer> all(CamModel model) {
        List<BiasLayer> found = new ArrayList<>();
        List<String> closed = new ArrayList<>();
        walk(model, model.block(), "", found, closed);
        if (!closed.isEmpty()) {
            List<String> names = new ArrayList<>();
            found.forEach(l -> names.add(l.path().name()));
            throw new CamException("fullgrad needs the gradient at every Conv2d/BatchNorm layer with a bias, but some lie inside "
                    + String.join(", ", closed) + ", which Spotlight cannot open (it opens SequentialBlocks and MultiHeadBlocks"
                    + " only); name the layers to use instead; the reachable ones are " + (names.isEmpty() ? "none" : String.join(",", names)));
        }
        return found;
    }

    /** The named layers, each checked to be a bias layer, none twice. */
    static List<BiasLayer> named(CamModel model, List<String> names) {
        List<BiasLayer> layers = new ArrayList<>();
        Set<LayerPath> seen = new HashSet<>();
        for (String name : names) {
            LayerPath path = model.layer(name);
            Block block = path.indices().isEmpty() ? model.block() : path.block(model.block());
            if (!hasBias(block)) {
                throw new CamException("fullgrad reads layers with a bias (a Conv2d with bias or a 2-d BatchNorm), but layer '" + name
                        + "' is a " + block.getClass().getSimpleName()
                        + (block instanceof Conv2d ? " without bias" : "") + "; " + choices(model));
            }
            if (!seen.add(path)) {
                throw new CamException("fullgrad: layer '" + name + "' is named twice (its term would count twice)");
            }
            layers.add(new BiasLayer(path, block));
        }
        return layers;
    }

    private static String choices(CamModel model) {
        List<String> names = new ArrayList<>();
        try {
            all(model).forEach(l -> names.add(l.path().name()));
        } catch (CamException e) {
            return "the model's reachable bias layers could not all be listed";
        }
        return "the model's bias layers are " + (names.isEmpty() ? "none" : String.join(", ", names));
    }

    private static void walk(CamModel model, Block block, String at, List<BiasLayer> found, List<String> closed) {
        if (block instanceof MultiHeadBlock) {
            MultiHeadBlock m = (MultiHeadBlock) block;
            walk(model, m.getTrunk(), "trunk", found, closed);
            m.getHeads().forEach((name, head) -> walk(model, head, name, found, closed));
        } else if (block instanceof SequentialBlock) {
            List<Block> children = block.getChildren().values();
            for (int i = 0; i < children.size(); i++) {
                walk(model, children.get(i), at.isEmpty() ? Integer.toString(i) : at + "/" + i, found, closed);
            }
        } else if (hasBias(block) && !at.isEmpty()) {
            found.add(new BiasLayer(model.layer(at), block));
        } else if (containsBias(block)) {
            closed.add((at.isEmpty() ? "the model" : "'" + at + "'") + " (" + block.getClass().getSimpleName() + ")");
        }
    }

    private static boolean containsBias(Block block) {
        if (hasBias(block)) {
            return true;
        }
        for (Block child : block.getChildren().values()) {
            if (containsBias(child)) {
                return true;
            }
        }
        return false;
    }

    /** A BatchNorm after a convolution (4-d input), not one after a Linear layer; true if not yet known. */
    private static boolean isSpatial(Block block) {
        try {
            return block.getInputShapes()[0].dimension() == 4;
        } catch (IllegalStateException | ArrayIndexOutOfBoundsException e) {
            return true; // not initialised: FullGrad's check of the activations' rank will tell
        }
    }
}
