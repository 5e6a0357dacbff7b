package io.spotlight.cam.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import io.spotlight.cam.CamException;
import java.util.ArrayList;
import java.util.List;

/**
 * CAM (Zhou et al. 2016) for heads made of global average pooling and one {@link Linear} layer: a
 * channel's weight is the linear layer's weight from that channel to the explained class. Needs no
 * gradient; differentiable through the activations and the head's weights.
 */
public final class ClassActivationMap extends CamMethod {
    @Override
    public String name() {
        return "cam";
    }

    @Override
    public boolean usesGradients() {
        return false;
    }

    @Override
    public NDArray weights(CamContext c) {
        if (c.classes() == null) {
            throw new CamException(
                    "CAM explains a class; the target of head '" + c.head() + "' is not a class");
        }
        Linear linear = lastLinear(c);
        Parameter weight = linear.getParameters().get("weight");
        NDArray w = c.parameters().getValue(weight, c.activations().getDevice(), true); // [C, K]
        long channels = c.activations().getShape().get(1);
        if (w.getShape().get(1) != channels) {
            throw new CamException(
                    "CAM needs the layer that feeds head '" + c.head() + "''s global average pool: layer '"
                            + c.layer() + "' has " + channels + " channels but the head's linear layer reads "
                            + w.getShape().get(1));
        }
        NDArray oneHot = c.classes().oneHot((int) w.getShape().get(0)).toType(w.getDataType(), false);
        NDArray perSample = oneHot.matMul(w); // [B, K]
        return perSample.reshape(new Shape(perSample.getShape().get(0), channels, 1, 1));
    }

    private static Linear lastLinear(CamContext c) {
        List<Linear> found = new ArrayList<>();
        collect(c.headBlock(), found);
        if (found.isEmpty()) {
            throw new CamException(
                    "CAM needs a head made of global average pooling and a Linear layer; head '"
                            + c.head() + "' has no Linear layer");
        }
        return found.get(found.size() - 1);
    }

    private static void collect(Block block, List<Linear> found) {
        if (block instanceof Linear) {
            found.add((Linear) block);
        }
        for (Block child : block.getChildren().values()) {
            collect(child, found);
        }
    }
}
