package io.spotlight.trainer.data;

/**
 * {@value #NAME}: a spatially spread shortcut, a frame (default 2 px wide) around the whole image
 * whose grey shade codes a class ({@link DecoyOptions#shadeOf}). The garment sits inside the frame
 * on a canvas of 28 + 2 × frame pixels, so the frame never covers it; the mask forbids the frame.
 * Unlike a patch the shortcut is everywhere along the border: every cell of a coarse map that
 * touches the border sees it.
 */
public final class FrameFashionMnist extends ShortcutFashionMnist {
    public static final String NAME = "frame-fmnist";

    private final int frame;

    public FrameFashionMnist(Builder builder) {
        super(builder);
        this.frame = builder.optionOr("frame", 2);
    }

    @Override
    protected int height() {
        return FashionMnistArrays.SIDE + 2 * frame;
    }

    @Override
    protected int width() {
        return height();
    }

    @Override
    protected int garmentTop() {
        return frame;
    }

    @Override
    protected int garmentLeft() {
        return frame;
    }

    @Override
    protected void drawShortcut(Canvas c, int codedClass) {
        int side = height();
        int[][] bands = {{0, 0, frame, side}, {side - frame, 0, frame, side}, {0, 0, side, frame}, {0, side - frame, side, frame}};
        for (int[] b : bands) {
            c.forbid(b[0], b[1], b[2], b[3]);
            if (codedClass >= 0) {
                c.fill(b[0], b[1], b[2], b[3], DecoyOptions.shadeOf(codedClass));
            }
        }
    }
}
