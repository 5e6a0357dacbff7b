package io.spotlight.trainer.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.training.dataset.Dataset.Usage;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The real Fashion-MNIST files, read through DJL's FashionMnist from Debian's package. */
class FashionMnistLoaderTest {

    @Test
    void trainSplitHas60000ImagesAnd6000PerClass() throws IOException {
        FashionMnistArrays train = FashionMnistLoader.load(FashionMnistFiles.debian(), Usage.TRAIN);
        assertEquals(60_000, train.count());
        assertEquals(6_000, histogram(train)[0]);
        for (int count : histogram(train)) {
            assertEquals(6_000, count);
        }
    }

    @Test
    void testSplitHas10000ImagesAnd1000PerClass() throws IOException {
        FashionMnistArrays test = FashionMnistLoader.load(FashionMnistFiles.debian(), Usage.TEST);
        assertEquals(10_000, test.count());
        for (int count : histogram(test)) {
            assertEquals(1_000, count);
        }
    }

    @Test
    void pixelsAreScaledToTheUnitIntervalAndUseItWhole() throws IOException {
        FashionMnistArrays test = FashionMnistLoader.load(FashionMnistFiles.debian(), Usage.TEST);
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        double sum = 0;
        for (int i = 0; i < test.count(); i++) {
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) {
                    float v = test.pixel(i, y, x);
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                    sum += v;
                }
            }
        }
        assertEquals(0f, min);
        assertEquals(1f, max);
        // Fashion-MNIST's mean intensity is about 0.286.
        double mean = sum / (test.count() * 784.0);
        assertEquals(0.286, mean, 0.01);
        // First test item: an ankle boot (label 9), with blank corners.
        assertEquals(9, test.label(0));
        assertEquals(0f, test.pixel(0, 0, 0));
    }

    @Test
    void decodedArraysAreCachedPerProcess() throws IOException {
        FashionMnistArrays first = FashionMnistLoader.load(FashionMnistFiles.debian(), Usage.TEST);
        FashionMnistArrays again = FashionMnistLoader.load(FashionMnistFiles.debian(), Usage.TEST);
        assertSame(first, again);
        assertTrue(first.count() > 0);
    }

    private static int[] histogram(FashionMnistArrays arrays) {
        int[] counts = new int[FashionMnistArrays.NUM_CLASSES];
        for (int i = 0; i < arrays.count(); i++) {
            counts[arrays.label(i)]++;
        }
        return counts;
    }
}
