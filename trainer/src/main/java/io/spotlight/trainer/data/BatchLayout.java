package io.spotlight.trainer.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import java.util.List;

/**
 * Unpacks a DJL {@link Batch} of a {@link GuidedDataset}: data {@code [images]}, labels {@code
 * [label_h..., allowedMask_h..., hasMask_h...]} for the heads in order (see the package
 * documentation). Checks the shapes so that a batch from another data set fails here, with the
 * shapes in the message, rather than deep in a loss.
 *
 * @param heads the heads, in order
 */
public record BatchLayout(List<Head> heads) {
    /**
     * @param heads the heads, in order
     */
    public BatchLayout {
        heads = List.copyOf(heads);
    }

    /**
     * @param heads the heads, in order
     * @return the layout
     */
    public static BatchLayout of(List<Head> heads) {
        return new BatchLayout(heads);
    }

    /**
     * @param batch a batch from a data set with these heads
     * @return its parts
     * @throws IllegalArgumentException if the batch does not have this layout
     */
    public GuidedBatch unpack(Batch batch) {
        return unpack(batch.getData(), batch.getLabels());
    }

    /**
     * @param data the batch's data: {@code [images]}
     * @param labels the batch's labels in the common layout
     * @return its parts
     * @throws IllegalArgumentException if the arrays do not have this layout
     */
    public GuidedBatch unpack(NDList data, NDList labels) {
        int n = heads.size();
        if (data.size() != 1 || labels.size() != 3 * n) {
            throw new IllegalArgumentException(
                    "expected 1 data array and "
                            + 3 * n
                            + " label arrays (label, mask, hasMask for each of "
                            + heads.stream().map(Head::name).toList()
                            + "), got "
                            + data.size()
                            + " and "
                            + labels.size());
        }
        NDArray images = data.get(0);
        Shape imageShape = images.getShape();
        if (imageShape.dimension() != 4) {
            throw new IllegalArgumentException("images must be [B, C, H, W], got " + imageShape);
        }
        long b = imageShape.get(0);
        Shape maskShape = new Shape(b, 1, imageShape.get(2), imageShape.get(3));
        List<NDArray> labelArrays = labels.subList(0, n);
        List<NDArray> masks = labels.subList(n, 2 * n);
        List<NDArray> hasMask = labels.subList(2 * n, 3 * n);
        for (int h = 0; h < n; h++) {
            require(labelArrays.get(h), new Shape(b), "labels", h);
            require(masks.get(h), maskShape, "allowed mask", h);
            require(hasMask.get(h), new Shape(b), "hasMask", h);
        }
        return new GuidedBatch(heads, images, List.copyOf(labelArrays), List.copyOf(masks),
                List.copyOf(hasMask));
    }

    private void require(NDArray array, Shape expected, String what, int head) {
        if (!array.getShape().equals(expected)) {
            throw new IllegalArgumentException(
                    "head '" + heads.get(head).name() + "': " + what + " shape " + array.getShape()
                            + ", expected " + expected);
        }
    }
}
