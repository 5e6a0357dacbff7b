package io.spotlight.cam.guided;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.spotlight.cam.autograd.Autograd;
import io.spotlight.cam.map.CamMaps;
import io.spotlight.cam.model.CamModel;
import io.spotlight.cam.model.MultiHeadBlock;
import java.util.ArrayList;
import java.util.List;

/**
 * Guided backpropagation (Springenberg et al. 2015), per head: the gradient of the explained
 * class's logit with respect to the input, where every ReLU passes back only positive signal to
 * positive inputs ({@code g_in = g_out · [x > 0] · [g_out > 0]}). DJL has no custom backward, so
 * the model is cut into its leaf blocks (SequentialBlocks and the MultiHeadBlock are opened; any
 * other block, such as a residual unit, is one leaf whose own ReLUs back-propagate plainly), the
 * ReLUs apply the guided rule, and every other leaf back-propagates by one vector-Jacobian product
 * through the native autograd call. Post hoc only: it is not the gradient of anything.
 */
public final class GuidedBackprop {
    private final CamModel model;

    public GuidedBackprop(CamModel model) {
        this.model = model;
    }

    /**
     * The guided gradient [B, C, H, W] of {@code head}'s logit of {@code classes} (int64 [B]) at
     * {@code input}, eval mode, detached.
     */
    public NDArray saliency(ParameterStore ps, NDArray input, String head, NDArray classes) {
        if (JniUtils.isGradMode()) {
            return run(ps, input, head, classes);
        }
        try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
            return run(ps, input, head, classes);
        }
    }

    /**
     * Guided Grad-CAM (Selvaraju et al. 2017) as pytorch-grad-cam shows it: the guided gradient's
     * positive part summed over channels, times the Grad-CAM map at input resolution in [0, 1].
     *
     * @param cam [B, H, W] in [0, 1]
     */
    public static NDArray guidedCam(NDArray saliency, NDArray cam) {
        return positiveEvidence(saliency).mul(cam);
    }

    /** The guided gradient as a map [B, H, W]: its positive part summed over channels. */
    public static NDArray positiveEvidence(NDArray saliency) {
        return CamMaps.relu(saliency).sum(new int[] {1});
    }

    private NDArray run(ParameterStore ps, NDArray input, String head, NDArray classes) {
        List<Block> leaves = new ArrayList<>();
        leaves(model.block(), model.headIndex(head), leaves);
        List<NDArray> inputs = new ArrayList<>();
        NDArray x = input.stopGradient();
        for (Block leaf : leaves) {
            inputs.add(x);
            x = leaf.forward(ps, new NDList(x), false).singletonOrThrow().stopGradient();
        }
        NDArray g = classes.oneHot((int) x.getShape().get(1)).toType(x.getDataType(), false);
        for (int i = leaves.size() - 1; i >= 0; i--) {
            NDArray in = inputs.get(i);
            if (isRelu(leaves.get(i))) {
                g = g.mul(in.gt(0).toType(g.getDataType(), false)).mul(g.gt(0).toType(g.getDataType(), false));
            } else {
                NDArray at = in.duplicate();
                at.setRequiresGradient(true);
                NDArray out = leaves.get(i).forward(ps, new NDList(at), false).singletonOrThrow();
                g = Autograd.grad(List.of(out.mul(g).sum()), List.of(List.of(at)), false).get(0, 0).stopGradient();
            }
        }
        return g;
    }

    private static boolean isRelu(Block block) {
        return block instanceof LambdaBlock && "ReLU".equals(((LambdaBlock) block).getName());
    }

    /** The leaf blocks from the input to head {@code head}'s output, in order. */
    private static void leaves(Block block, int head, List<Block> out) {
        if (block instanceof MultiHeadBlock) {
            MultiHeadBlock m = (MultiHeadBlock) block;
            leaves(m.getTrunk(), head, out);
            leaves(new ArrayList<>(m.getHeads().values()).get(head), head, out);
        } else if (block instanceof SequentialBlock) {
            for (Block child : block.getChildren().values()) {
                leaves(child, head, out);
            }
        } else {
            out.add(block);
        }
    }
}
