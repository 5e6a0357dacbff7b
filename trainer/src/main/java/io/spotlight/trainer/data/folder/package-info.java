/**
 * Data sets of users' own image files, in the common sample layout of {@link
 * io.spotlight.trainer.data}:
 *
 * <ul>
 *   <li>{@code folder} ({@link io.spotlight.trainer.data.folder.FolderDataset}): {@code
 *       ROOT/<class>/<image>.png}, one head, masks at the same relative path under {@code
 *       ROOT/masks/};
 *   <li>{@code manifest} ({@link io.spotlight.trainer.data.folder.ManifestDataset}): a CSV with
 *       {@code image, label_<head>, mask_<head>, ...}, any number of heads.
 * </ul>
 *
 * <p>Images are read with javax.imageio as grey (or RGB) in [0, 1]; masks are white = allowed,
 * black = forbidden. Every file is decoded and checked on {@code prepare}, and every error names
 * the file (and for manifests the row and column). Augmentations ({@link
 * io.spotlight.trainer.data.folder.Augment}) transform an image and its masks identically, seeded
 * per sample. {@link io.spotlight.trainer.data.folder.FileDatasetConfig} builds both from the
 * {@code dataset} config group.
 */
package io.spotlight.trainer.data.folder;
