package io.spotlight.trainer.explain;

/**
 * One input image cannot be explained (undecodable, wrong size, a pixel layout that has no grey
 * reading, a missing label). The batch goes on; the reason is listed among the failures.
 */
public final class ImageRejected extends Exception {
    public ImageRejected(String reason) {
        super(reason);
    }
}
