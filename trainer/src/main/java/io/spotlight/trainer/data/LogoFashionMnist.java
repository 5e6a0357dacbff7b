package io.spotlight.trainer.data;

import java.util.List;

/**
 * {@value #NAME}: a small white logo (5×5) whose SHAPE codes a class, like a watermark or a
 * scanner's stamp in real images: ten glyphs of exactly nine pixels each, so neither shade nor
 * ink codes anything, only the shape. It is placed along one of the four edges of the 28×28 image
 * at a random offset (edge and offset drawn per sample), over whatever is there; the mask forbids
 * its 5×5 box.
 */
public final class LogoFashionMnist extends ShortcutFashionMnist {
    public static final String NAME = "logo-fmnist";
    static final int SIZE = 5;
    private static final int SIDE = FashionMnistArrays.SIDE;

    /** Glyph k codes class k; '#' is a white pixel. Each has nine pixels. */
    static final List<String[]> GLYPHS = List.of(
            new String[] {"..#..", "..#..", "#####", "..#..", "..#.."}, // plus
            new String[] {"#...#", ".#.#.", "..#..", ".#.#.", "#...#"}, // cross
            new String[] {"#....", "#....", "#....", "#....", "#####"}, // L
            new String[] {"#####", "..#..", "..#..", "..#..", "..#.."}, // T
            new String[] {".....", ".###.", ".###.", ".###.", "....."}, // block
            new String[] {"..#..", ".#.#.", "#.#.#", ".#.#.", "..#.."}, // diamond
            new String[] {".###.", ".....", ".###.", ".....", ".###."}, // three bars
            new String[] {".....", "#.#.#", "#.#.#", "#.#.#", "....."}, // three pillars
            new String[] {"#.#.#", ".....", "#.#.#", ".....", "#.#.#"}, // dot grid
            new String[] {"#...#", "#...#", ".#.#.", ".#.#.", "..#.."}); // V

    public LogoFashionMnist(Builder builder) {
        super(builder);
    }

    @Override
    protected int height() {
        return SIDE;
    }

    @Override
    protected int width() {
        return SIDE;
    }

    @Override
    protected void drawShortcut(Canvas c, int codedClass) {
        int edge = c.random().nextInt(4);
        int offset = c.random().nextInt(SIDE - SIZE + 1);
        int top = switch (edge) {
            case 0 -> 0;
            case 1 -> SIDE - SIZE;
            default -> offset;
        };
        int left = switch (edge) {
            case 2 -> 0;
            case 3 -> SIDE - SIZE;
            default -> offset;
        };
        c.forbid(top, left, SIZE, SIZE);
        if (codedClass < 0) {
            return;
        }
        c.fill(top, left, SIZE, SIZE, 0f); // the logo's own background, so only its shape is seen
        String[] glyph = GLYPHS.get(codedClass);
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                if (glyph[y].charAt(x) == '#') {
                    c.set(top + y, left + x, 1f);
                }
            }
        }
    }
}
