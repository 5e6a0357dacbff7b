package io.spotlight.trainer.data;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Record;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * One sample in Java arrays, before it becomes a DJL {@link Record} in the common layout (see
 * the package documentation).
 *
 * @param index the sample's index in its data set (for error messages)
 * @param image {@code C*H*W} floats in [0, 1], channel-major then row-major
 * @param imageShape {@code (C, H, W)}
 * @param labels one label per head
 * @param allowedMasks one mask per head, {@code H*W} floats: 1 = attention allowed, 0 = forbidden
 * @param maskShapes the shape of each mask, {@code (1, H, W)}
 * @param hasMask per head: whether the mask is real (false: all allowed, its penalty must count
 *     for nothing)
 */
public record GuidedSample(
        long index,
        float[] image,
        Shape imageShape,
        int[] labels,
        List<float[]> allowedMasks,
        List<Shape> maskShapes,
        boolean[] hasMask) {

    /** Checks that every part agrees with the image's shape and with the number of heads. */
    public GuidedSample {
        if (imageShape.dimension() != 3 || imageShape.size() != image.length) {
            throw new IllegalArgumentException(
                    "sample "
                            + index
                            + ": image of "
                            + image.length
                            + " floats does not have shape "
                            + imageShape
                            + " (C, H, W)");
        }
        int heads = labels.length;
        if (allowedMasks.size() != heads || maskShapes.size() != heads || hasMask.length != heads) {
            throw new IllegalArgumentException(
                    "sample " + index + ": " + heads + " labels but " + allowedMasks.size()
                            + " masks, " + maskShapes.size() + " mask shapes and " + hasMask.length
                            + " hasMask flags");
        }
        Shape expected = new Shape(1, imageShape.get(1), imageShape.get(2));
        for (int h = 0; h < heads; h++) {
            Shape shape = maskShapes.get(h);
            if (!shape.equals(expected) || allowedMasks.get(h).length != expected.size()) {
                throw new IllegalArgumentException(
                        "sample "
                                + index
                                + ", head "
                                + h
                                + ": mask shape "
                                + shape
                                + " ("
                                + allowedMasks.get(h).length
                                + " floats) does not match image shape "
                                + imageShape
                                + "; expected "
                                + expected);
            }
        }
    }

    /**
     * A sample whose every mask is the image's full H×W.
     *
     * @param index the sample's index
     * @param image the image, {@code C*H*W} floats
     * @param imageShape {@code (C, H, W)}
     * @param labels one label per head
     * @param allowedMasks one {@code H*W} mask per head
     * @param hasMask per head, whether the mask is real
     * @return the sample
     */
    public static GuidedSample of(
            long index, float[] image, Shape imageShape, int[] labels, List<float[]> allowedMasks,
            boolean[] hasMask) {
        Shape maskShape = new Shape(1, imageShape.get(1), imageShape.get(2));
        List<Shape> shapes = Collections.nCopies(labels.length, maskShape);
        return new GuidedSample(index, image, imageShape, labels, allowedMasks, shapes, hasMask);
    }

    /** @return an all-allowed mask for an image of this shape */
    static float[] allAllowed(Shape imageShape) {
        float[] mask = new float[Math.toIntExact(imageShape.get(1) * imageShape.get(2))];
        Arrays.fill(mask, 1f);
        return mask;
    }

    /**
     * The DJL record: data {@code [image]}, labels {@code [label_h..., mask_h..., hasMask_h...]}.
     *
     * @param manager the manager DJL passed to {@code get}; every array is created on it
     * @return the record
     */
    public Record toRecord(NDManager manager) {
        NDList data = new NDList(manager.create(image, imageShape));
        NDList labelList = new NDList(3 * labels.length);
        for (int label : labels) {
            labelList.add(manager.create(label));
        }
        for (int h = 0; h < labels.length; h++) {
            labelList.add(manager.create(allowedMasks.get(h), maskShapes.get(h)));
        }
        for (boolean has : hasMask) {
            labelList.add(manager.create(has ? 1f : 0f));
        }
        return new Record(data, labelList);
    }
}
