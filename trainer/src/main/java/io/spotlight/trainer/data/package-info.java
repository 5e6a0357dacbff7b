/**
 * Data sets for attention-guided training, as DJL {@link
 * ai.djl.training.dataset.RandomAccessDataset}s with one sample layout, so that the trainer is
 * generic over them.
 *
 * <h2>Sample layout</h2>
 *
 * <p>For a data set with heads {@code h = 0..n-1} (in {@link
 * io.spotlight.trainer.data.GuidedDataset#heads()} order), every record has
 *
 * <ul>
 *   <li>{@code data}: {@code [image]}, float32 {@code [C, H, W]} in [0, 1];
 *   <li>{@code labels}: {@code [label_0 .. label_n-1, allowed_0 .. allowed_n-1, hasMask_0 ..
 *       hasMask_n-1]} where {@code label_h} is an int32 scalar, {@code allowed_h} a float32 {@code
 *       [1, H, W]} mask (1 = attention allowed, 0 = forbidden) and {@code hasMask_h} a float32
 *       scalar (0 = this sample has no mask for head h; its penalty must contribute nothing).
 * </ul>
 *
 * <p>DJL's stack batchifier turns these into {@code [B, C, H, W]} images, {@code [B]} labels,
 * {@code [B, 1, H, W]} masks and {@code [B]} flags; {@link io.spotlight.trainer.data.BatchLayout}
 * unpacks a batch into a {@link io.spotlight.trainer.data.GuidedBatch}.
 *
 * <h2>Data sets</h2>
 *
 * <ul>
 *   <li>{@code fmnist} ({@link io.spotlight.trainer.data.FashionMnistDataset}): plain
 *       Fashion-MNIST, head {@code label}, no masks;
 *   <li>{@code decoy-fmnist} ({@link io.spotlight.trainer.data.DecoyFashionMnist}): a corner patch
 *       whose shade encodes the label at training time (Ross et al. 2017), masks marking the patch
 *       or the garment;
 *   <li>{@code two-item-fmnist} ({@link io.spotlight.trainer.data.TwoItemFashionMnist}): two items
 *       side by side, heads {@code left} and {@code right}, each allowed its own item.
 * </ul>
 *
 * <p>All are deterministic given their seed. Fashion-MNIST itself is read offline through DJL
 * basicdataset's {@code FashionMnist} from the IDX files of Debian's {@code dataset-fashion-mnist}
 * package ({@link io.spotlight.trainer.data.FashionMnistFiles}), decoded once per process ({@link
 * io.spotlight.trainer.data.FashionMnistLoader}).
 */
package io.spotlight.trainer.data;
