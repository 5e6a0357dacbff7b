package io.spotlight.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.training.dataset.Dataset.Usage;
import io.spotlight.trainer.data.DecoyFashionMnist.MaskMode;
import io.spotlight.trainer.data.DecoyOptions.PatchPosition;
import io.spotlight.trainer.data.DecoyOptions.ShadeRule;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Decoy-FashionMNIST: where the patch is, what its shade says, what the masks mark. */
class DecoyFashionMnistTest {
    private static final int SIDE = 28;

    private static DecoyFashionMnist.Builder builder(Usage usage, int n) {
        return DecoyFashionMnist.builder()
                .optUsage(usage)
                .optSubset(Subset.first(n))
                .setSampling(32, false);
    }

    @Test
    void trainingPatchSitsInACornerWithTheShadeOfTheLabel() {
        DecoyFashionMnist train = builder(Usage.TRAIN, 300).build();
        assertEquals(300, train.size());
        int[] corners = new int[4];
        for (int i = 0; i < 300; i++) {
            GuidedSample s = train.sample(i);
            DecoyPatch p = train.patch(i);
            assertEquals(4, p.size());
            boolean top = p.top() == 0;
            boolean left = p.left() == 0;
            assertTrue(top || p.top() == 24, "patch row " + p.top());
            assertTrue(left || p.left() == 24, "patch column " + p.left());
            corners[(top ? 0 : 2) + (left ? 0 : 1)]++;
            float shade = (255 - 25 * s.labels()[0]) / 255f;
            for (int y = p.top(); y < p.top() + 4; y++) {
                for (int x = p.left(); x < p.left() + 4; x++) {
                    float actual = s.image()[y * SIDE + x];
                    assertEquals(shade, actual, "sample " + i + " at " + y + "," + x);
                }
            }
        }
        for (int count : corners) {
            assertTrue(count > 50 && count < 100, "corners drawn " + Arrays.toString(corners));
        }
    }

    @Test
    void pixelsOutsideThePatchAreTheOriginalImage() {
        DecoyFashionMnist train = builder(Usage.TRAIN, 20).build();
        FashionMnistArrays source = train.source();
        for (int i = 0; i < 20; i++) {
            GuidedSample s = train.sample(i);
            DecoyPatch p = train.patch(i);
            for (int y = 0; y < SIDE; y++) {
                for (int x = 0; x < SIDE; x++) {
                    if (!p.covers(y, x)) {
                        assertEquals(source.pixel(i, y, x), s.image()[y * SIDE + x]);
                    }
                }
            }
        }
    }

    @Test
    void randomDecoyTestShadeDisagreesWithTheLabelAbout90PercentOfTheTime() {
        DecoyFashionMnist test = builder(Usage.TEST, 1000).build();
        assertEquals(ShadeRule.RANDOM, test.decoyOptions().shade());
        int differs = 0;
        int[] shadesSeen = new int[10];
        for (int i = 0; i < 1000; i++) {
            GuidedSample s = test.sample(i);
            DecoyPatch p = test.patch(i);
            float shade = s.image()[p.top() * SIDE + p.left()];
            int encoded = Math.round((255 - shade * 255) / 25);
            shadesSeen[encoded]++;
            assertEquals(DecoyOptions.shadeOf(encoded), shade);
            if (encoded != s.labels()[0]) {
                differs++;
            }
        }
        assertTrue(
                differs > 870 && differs < 930, differs + " of 1000 shades differ from the label");
        for (int count : shadesSeen) {
            assertTrue(count > 60, "every shade appears: " + Arrays.toString(shadesSeen));
        }
    }

    @Test
    void labelDecoyTestShadeMatchesTheLabelAndSharesCornersWithRandomDecoy() {
        DecoyFashionMnist labelDecoy =
                builder(Usage.TEST, 200).optDecoy(DecoyOptions.labelDecoyTest()).build();
        DecoyFashionMnist randomDecoy = builder(Usage.TEST, 200).build();
        for (int i = 0; i < 200; i++) {
            GuidedSample s = labelDecoy.sample(i);
            DecoyPatch p = labelDecoy.patch(i);
            assertEquals(DecoyOptions.shadeOf(s.labels()[0]), s.image()[p.top() * SIDE + p.left()]);
            DecoyPatch q = randomDecoy.patch(i);
            assertEquals(p.top(), q.top());
            assertEquals(p.left(), q.left());
        }
    }

    @Test
    void decoyMaskForbidsExactlyThePatch() {
        DecoyFashionMnist train = builder(Usage.TRAIN, 50).build();
        for (int i = 0; i < 50; i++) {
            GuidedSample s = train.sample(i);
            DecoyPatch p = train.patch(i);
            float[] mask = s.allowedMasks().get(0);
            assertEquals(784, mask.length);
            int forbidden = 0;
            for (int y = 0; y < SIDE; y++) {
                for (int x = 0; x < SIDE; x++) {
                    float expected = p.covers(y, x) ? 0f : 1f;
                    assertEquals(expected, mask[y * SIDE + x]);
                    forbidden += mask[y * SIDE + x] == 0f ? 1 : 0;
                }
            }
            assertEquals(16, forbidden);
            assertTrue(s.hasMask()[0]);
        }
    }

    @Test
    void objectMaskAllowsTheGarmentOutsideThePatch() {
        DecoyFashionMnist train = builder(Usage.TRAIN, 50).optMaskMode(MaskMode.OBJECT).build();
        FashionMnistArrays source = train.source();
        for (int i = 0; i < 50; i++) {
            float[] mask = train.sample(i).allowedMasks().get(0);
            DecoyPatch p = train.patch(i);
            int allowed = 0;
            for (int y = 0; y < SIDE; y++) {
                for (int x = 0; x < SIDE; x++) {
                    boolean garment = source.pixel(i, y, x) > 0.1f && !p.covers(y, x);
                    assertEquals(garment ? 1f : 0f, mask[y * SIDE + x]);
                    allowed += garment ? 1 : 0;
                }
            }
            assertTrue(allowed > 50 && allowed < 784, "garment pixels " + allowed);
        }
    }

    @Test
    void noMaskModeMarksSamplesAsUnmasked() {
        DecoyFashionMnist train = builder(Usage.TRAIN, 5).optMaskMode(MaskMode.NONE).build();
        GuidedSample s = train.sample(3);
        assertFalse(s.hasMask()[0]);
        for (float v : s.allowedMasks().get(0)) {
            assertEquals(1f, v);
        }
    }

    @Test
    void optionsChangeSizePositionAndShade() {
        DecoyOptions options =
                DecoyOptions.train()
                        .withPatchSize(6)
                        .withPosition(PatchPosition.BOTTOM_RIGHT)
                        .withShade(ShadeRule.NONE);
        DecoyFashionMnist plain = builder(Usage.TRAIN, 10).optDecoy(options).build();
        FashionMnistArrays source = plain.source();
        for (int i = 0; i < 10; i++) {
            DecoyPatch p = plain.patch(i);
            assertEquals(22, p.top());
            assertEquals(22, p.left());
            GuidedSample s = plain.sample(i);
            float[] mask = s.allowedMasks().get(0);
            assertEquals(36, count(mask, 0f), "the mask still marks the patch's place");
            assertEquals(source.pixel(i, 27, 27), s.image()[27 * SIDE + 27], "no patch drawn");
        }
    }

    @Test
    void sameSeedSameSamplesOtherSeedOtherCorners() {
        DecoyFashionMnist a = builder(Usage.TRAIN, 100).optSeed(7).build();
        DecoyFashionMnist b = builder(Usage.TRAIN, 100).optSeed(7).build();
        DecoyFashionMnist c = builder(Usage.TRAIN, 100).optSeed(8).build();
        int cornersMoved = 0;
        for (int i = 99; i >= 0; i--) { // reverse order: a sample does not depend on access order
            assertArrayEquals(a.sample(i).image(), b.sample(i).image());
            assertArrayEquals(a.sample(i).allowedMasks().get(0), b.sample(i).allowedMasks().get(0));
            if (!a.patch(i).equals(c.patch(i))) {
                cornersMoved++;
            }
        }
        assertTrue(cornersMoved > 50, cornersMoved + " of 100 corners moved with the seed");
    }

    @Test
    void randomSubsetIsSeededAndAnItemKeepsItsCornerInAnySubset() {
        DecoyFashionMnist full = builder(Usage.TRAIN, 60_000).optSeed(3).build();
        DecoyFashionMnist subset = randomSubset(500, 3);
        DecoyFashionMnist again = randomSubset(500, 3);
        assertEquals(500, subset.size());
        int previous = -1;
        for (int i = 0; i < 500; i++) {
            int item = subset.sourceIndex(i);
            assertEquals(item, again.sourceIndex(i));
            assertTrue(item > previous, "subset indices increase");
            previous = item;
            assertEquals(full.patch(item), subset.patch(i));
        }
        assertTrue(previous > 50_000, "a random subset spans the split, last index " + previous);
    }

    private static DecoyFashionMnist randomSubset(int n, long seed) {
        return DecoyFashionMnist.builder()
                .optSubset(Subset.random(n))
                .optSeed(seed)
                .setSampling(32, false)
                .build();
    }

    private static int count(float[] values, float value) {
        int n = 0;
        for (float v : values) {
            n += v == value ? 1 : 0;
        }
        return n;
    }
}
