package io.spotlight.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Dataset.Usage;
import io.spotlight.trainer.data.TwoItemFashionMnist.RegionMode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Two items side by side: shapes, labels, each head's region, per-head decoys. */
class TwoItemFashionMnistTest {
    private static final int SIDE = 28;
    private static final int WIDTH = 56;

    private static TwoItemFashionMnist.Builder builder(int n) {
        return TwoItemFashionMnist.builder().optSubset(Subset.first(n)).setSampling(16, false);
    }

    @Test
    void headsAndShapes() {
        TwoItemFashionMnist data = builder(100).build();
        assertEquals(List.of("left", "right"), data.heads().stream().map(Head::name).toList());
        assertEquals(10, data.heads().get(1).numClasses());
        assertEquals("Ankle boot", data.heads().get(0).classNames().get(9));
        assertEquals(new Shape(1, 28, 56), data.imageShape());
        GuidedSample s = data.sample(0);
        assertEquals(28 * 56, s.image().length);
        assertEquals(new Shape(1, 28, 56), s.maskShapes().get(0));
    }

    @Test
    void eachHalfIsItsItemAndEachLabelItsItemsLabel() {
        TwoItemFashionMnist data = builder(100).build();
        FashionMnistArrays source = data.source();
        for (int i = 0; i < 100; i++) {
            GuidedSample s = data.sample(i);
            int[] items = data.items(i);
            assertEquals(source.label(items[0]), s.labels()[0]);
            assertEquals(source.label(items[1]), s.labels()[1]);
            for (int y = 0; y < SIDE; y++) {
                for (int x = 0; x < SIDE; x++) {
                    assertEquals(source.pixel(items[0], y, x), s.image()[y * WIDTH + x]);
                    assertEquals(source.pixel(items[1], y, x), s.image()[y * WIDTH + SIDE + x]);
                }
            }
        }
    }

    @Test
    void everyItemAppearsOnceOnEachSide() {
        TwoItemFashionMnist data = builder(200).build();
        int[] left = new int[200];
        int[] right = new int[200];
        int samePair = 0;
        for (int i = 0; i < 200; i++) {
            int[] items = data.items(i);
            left[items[0]]++;
            right[items[1]]++;
            samePair += items[0] == items[1] ? 1 : 0;
        }
        for (int i = 0; i < 200; i++) {
            assertEquals(1, left[i]);
            assertEquals(1, right[i]);
        }
        assertTrue(samePair < 5, samePair + " items paired with themselves");
    }

    @Test
    void leftMaskIsTheLeftHalfAndRightMaskTheRightHalf() {
        GuidedSample s = builder(10).build().sample(4);
        float[] left = s.allowedMasks().get(0);
        float[] right = s.allowedMasks().get(1);
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < WIDTH; x++) {
                assertEquals(x < SIDE ? 1f : 0f, left[y * WIDTH + x]);
                assertEquals(x < SIDE ? 0f : 1f, right[y * WIDTH + x]);
            }
        }
        assertTrue(s.hasMask()[0] && s.hasMask()[1]);
    }

    @Test
    void objectMasksAreTheItemsPixels() {
        TwoItemFashionMnist data = builder(10).optRegionMode(RegionMode.OBJECT).build();
        GuidedSample s = data.sample(2);
        int[] items = data.items(2);
        for (int h = 0; h < 2; h++) {
            float[] mask = s.allowedMasks().get(h);
            for (int y = 0; y < SIDE; y++) {
                for (int x = 0; x < WIDTH; x++) {
                    float original = data.source().pixel(items[h], y, x % SIDE);
                    boolean own = x / SIDE == h && original > 0.1f;
                    assertEquals(own ? 1f : 0f, mask[y * WIDTH + x]);
                }
            }
        }
    }

    @Test
    void perHeadDecoysSitInTheirHalfWithTheirHeadsShade() {
        TwoItemFashionMnist train =
                builder(100).optDecoys(DecoyOptions.forUsage(Usage.TRAIN)).build();
        for (int i = 0; i < 100; i++) {
            GuidedSample s = train.sample(i);
            for (int h = 0; h < 2; h++) {
                DecoyPatch p = train.patch(i, h);
                boolean inACorner = p.left() == h * SIDE || p.left() == h * SIDE + 24;
                assertTrue(inACorner, "patch column " + p.left());
                assertTrue(p.top() == 0 || p.top() == 24);
                float shade = s.image()[p.top() * WIDTH + p.left()];
                assertEquals(DecoyOptions.shadeOf(s.labels()[h]), shade);
                float[] mask = s.allowedMasks().get(h);
                // allowed: own half minus own patch
                assertEquals(784 - 16, count(mask, 1f));
                assertEquals(0f, mask[p.top() * WIDTH + p.left()]);
            }
        }
    }

    @Test
    void testDecoysHaveRandomShades() {
        TwoItemFashionMnist test =
                builder(1000)
                        .optUsage(Usage.TEST)
                        .optDecoys(DecoyOptions.forUsage(Usage.TEST))
                        .build();
        int differs = 0;
        for (int i = 0; i < 1000; i++) {
            GuidedSample s = test.sample(i);
            DecoyPatch p = test.patch(i, 1);
            if (s.image()[p.top() * WIDTH + p.left()] != DecoyOptions.shadeOf(s.labels()[1])) {
                differs++;
            }
        }
        assertTrue(differs > 870 && differs < 930, differs + " of 1000 right-head shades differ");
    }

    @Test
    void sameSeedSamePairsOtherSeedOtherPairs() {
        TwoItemFashionMnist a = builder(100).optSeed(11).build();
        TwoItemFashionMnist b = builder(100).optSeed(11).build();
        TwoItemFashionMnist c = builder(100).optSeed(12).build();
        int moved = 0;
        for (int i = 0; i < 100; i++) {
            assertArrayEquals(a.items(i), b.items(i));
            assertArrayEquals(a.sample(i).image(), b.sample(i).image());
            moved += a.items(i)[1] != c.items(i)[1] ? 1 : 0;
        }
        assertTrue(moved > 90, moved + " right items moved with the seed");
    }

    private static int count(float[] values, float value) {
        int n = 0;
        for (float v : values) {
            n += v == value ? 1 : 0;
        }
        return n;
    }
}
