package io.spotlight.trainer.data;

/**
 * {@value #NAME}: the garment in the middle of a larger canvas (default 36×36) and a small square
 * patch (default 4×4) anywhere in the background, its grey shade coding a class as the corner
 * decoy's does ({@link DecoyOptions#shadeOf}). The patch's position is drawn uniformly over the
 * canvas among those where it touches no garment pixel, so no corner or margin is safe to ignore.
 */
public final class RandomPatchFashionMnist extends ShortcutFashionMnist {
    public static final String NAME = "random-patch-fmnist";
    /** Positions tried before the patch is put in the canvas margin, which is always background. */
    private static final int TRIES = 64;

    private final int patch;
    private final int side;

    public RandomPatchFashionMnist(Builder builder) {
        super(builder);
        this.patch = builder.optionOr("patch", 4);
        this.side = builder.optionOr("canvas", 36);
        int margin = (side - FashionMnistArrays.SIDE) / 2;
        if (margin < patch) {
            throw new IllegalArgumentException("canvas " + side + " leaves a margin of " + margin
                    + " px, less than the patch (" + patch + " px); use a canvas of at least " + (FashionMnistArrays.SIDE + 2 * patch));
        }
    }

    @Override
    protected int height() {
        return side;
    }

    @Override
    protected int width() {
        return side;
    }

    @Override
    protected int garmentTop() {
        return (side - FashionMnistArrays.SIDE) / 2;
    }

    @Override
    protected int garmentLeft() {
        return garmentTop();
    }

    @Override
    protected void drawShortcut(Canvas c, int codedClass) {
        int top = 0;
        int left = 0;
        boolean placed = false;
        for (int i = 0; i < TRIES; i++) { // always TRIES draws, so the generator's state does not depend on the outcome
            int y = c.random().nextInt(side - patch + 1);
            int x = c.random().nextInt(side - patch + 1);
            if (!placed && !touchesGarment(c.item(), y, x, patch, patch)) {
                top = y;
                left = x;
                placed = true;
            }
        }
        if (!placed) { // the top-left margin
            top = 0;
            left = 0;
        }
        c.forbid(top, left, patch, patch);
        if (codedClass >= 0) {
            c.fill(top, left, patch, patch, DecoyOptions.shadeOf(codedClass));
        }
    }
}
