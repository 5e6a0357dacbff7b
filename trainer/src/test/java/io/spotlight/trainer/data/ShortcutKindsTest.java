package io.spotlight.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.training.dataset.Dataset.Usage;
import io.spotlight.trainer.data.ShortcutFashionMnist.Code;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * The suite's shortcut kinds on real Fashion-MNIST: the three variants of a sample differ only
 * where the mask forbids, share their mask, and the label-coded variant really codes the label.
 */
class ShortcutKindsTest {
    private static final int N = 200;

    static Set<String> kinds() {
        return ShortcutKinds.names();
    }

    private static ShortcutFashionMnist make(String kind, Code code, Usage usage) {
        ShortcutFashionMnist.Builder b = new ShortcutFashionMnist.Builder().optUsage(usage).optSubset(Subset.first(N))
                .optSeed(3).optCode(code);
        b.setSampling(32, false);
        return ShortcutKinds.get(kind).make().apply(b);
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void variantsDifferOnlyWhereTheMaskForbidsAndShareTheirMask(String kind) {
        ShortcutFashionMnist label = make(kind, Code.LABEL, Usage.TRAIN);
        ShortcutFashionMnist random = make(kind, Code.RANDOM, Usage.TRAIN);
        ShortcutFashionMnist none = make(kind, Code.NONE, Usage.TRAIN);
        int drawnSomewhere = 0;
        int randomDiffers = 0;
        for (int i = 0; i < N; i++) {
            GuidedSample l = label.sample(i);
            GuidedSample r = random.sample(i);
            GuidedSample n = none.sample(i);
            float[] mask = l.allowedMasks().get(0);
            assertArrayEquals(mask, r.allowedMasks().get(0), kind + " sample " + i);
            assertArrayEquals(mask, n.allowedMasks().get(0), kind + " sample " + i);
            assertTrue(l.hasMask()[0]);
            int forbidden = 0;
            boolean differs = false;
            for (int p = 0; p < mask.length; p++) {
                if (mask[p] == 1f) {
                    assertEquals(n.image()[p], l.image()[p], kind + " sample " + i + " pixel " + p + " is allowed but changed");
                    assertEquals(n.image()[p], r.image()[p], kind + " sample " + i + " pixel " + p + " is allowed but changed");
                } else {
                    forbidden++;
                    differs |= l.image()[p] != n.image()[p];
                    randomDiffers += l.image()[p] != r.image()[p] ? 1 : 0;
                }
            }
            assertTrue(forbidden > 0 && forbidden < mask.length / 2 + 1, kind + ": forbidden pixels " + forbidden);
            drawnSomewhere += differs ? 1 : 0;
            assertEquals(l.labels()[0], r.labels()[0]);
        }
        assertTrue(drawnSomewhere > N * 9 / 10, kind + ": the shortcut was drawn in only " + drawnSomewhere + " of " + N);
        assertTrue(randomDiffers > 0, kind + ": random coding never differed from label coding");
    }

    /** Two samples of one label code it the same way (up to position), two of different labels not. */
    @ParameterizedTest
    @MethodSource("kinds")
    void theLabelCodedShortcutDeterminesTheLabel(String kind) {
        ShortcutFashionMnist label = make(kind, Code.LABEL, Usage.TEST);
        java.util.Map<String, Integer> codeToLabel = new java.util.HashMap<>();
        Set<Integer> labels = new HashSet<>();
        for (int i = 0; i < N; i++) {
            GuidedSample s = label.sample(i);
            String signature = signature(kind, s, label);
            Integer before = codeToLabel.putIfAbsent(signature, s.labels()[0]);
            if (before != null) {
                assertEquals(before, s.labels()[0], kind + ": one shortcut code for two labels (sample " + i + ")");
            }
            labels.add(s.labels()[0]);
        }
        assertEquals(10, labels.size());
        if (!kind.equals(DistractorFashionMnist.NAME)) {
            assertEquals(10, codeToLabel.size(), kind + ": expected one code per label, got " + codeToLabel.keySet());
        }
    }

    /** What the shortcut shows, independent of where it is: shade, glyph, or the distractor's class. */
    private static String signature(String kind, GuidedSample s, ShortcutFashionMnist ds) {
        float[] mask = s.allowedMasks().get(0);
        int w = (int) s.imageShape().get(2);
        if (kind.equals(DistractorFashionMnist.NAME)) {
            return "distractor of class " + s.labels()[0]; // checked in distractorIsAnItemOfTheCodedClass
        }
        StringBuilder sb = new StringBuilder();
        int top = Integer.MAX_VALUE;
        int left = Integer.MAX_VALUE;
        for (int p = 0; p < mask.length; p++) {
            if (mask[p] == 0f) {
                top = Math.min(top, p / w);
                left = Math.min(left, p % w);
            }
        }
        if (kind.equals(LogoFashionMnist.NAME)) {
            for (int y = 0; y < LogoFashionMnist.SIZE; y++) {
                for (int x = 0; x < LogoFashionMnist.SIZE; x++) {
                    sb.append(s.image()[(top + y) * w + left + x] > 0.5f ? '#' : '.');
                }
            }
            return sb.toString();
        }
        return String.valueOf(s.image()[top * w + left]); // patch and frame: one shade
    }

    @Test
    void distractorIsAnItemOfTheCodedClass() {
        ShortcutFashionMnist label = make(DistractorFashionMnist.NAME, Code.LABEL, Usage.TEST);
        FashionMnistArrays source = label.source();
        int matched = 0;
        for (int i = 0; i < 50; i++) {
            GuidedSample s = label.sample(i);
            // find the item of the pool whose pixels are on the right half
            for (int j = 0; j < N; j++) {
                int item = label.sourceIndex(j);
                boolean same = true;
                for (int y = 0; y < 28 && same; y++) {
                    for (int x = 0; x < 28 && same; x++) {
                        same = source.pixel(item, y, x) == s.image()[y * 56 + 28 + x];
                    }
                }
                if (same) {
                    assertEquals(s.labels()[0], source.label(item), "distractor of sample " + i);
                    matched++;
                    break;
                }
            }
        }
        assertEquals(50, matched);
    }

    @Test
    void logoGlyphsAreDistinctAndHaveNinePixelsEach() {
        Set<String> seen = new HashSet<>();
        for (String[] glyph : LogoFashionMnist.GLYPHS) {
            String joined = String.join("", glyph);
            assertEquals(25, joined.length());
            assertEquals(9, joined.chars().filter(c -> c == '#').count(), joined);
            seen.add(joined);
        }
        assertEquals(10, seen.size());
    }
}
