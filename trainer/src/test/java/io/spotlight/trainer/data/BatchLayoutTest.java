package io.spotlight.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset.Usage;
import ai.djl.training.dataset.Record;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Records and DJL batches in the common layout, unpacked by BatchLayout. */
class BatchLayoutTest {

    @Test
    void decoyBatchHasImagesLabelsMasksAndFlags() throws IOException, TranslateException {
        DecoyFashionMnist data =
                DecoyFashionMnist.builder()
                        .optSubset(Subset.first(20))
                        .setSampling(8, false)
                        .build();
        try (NDManager manager = NDManager.newBaseManager()) {
            int batches = 0;
            for (Batch batch : data.getData(manager)) {
                try (batch) {
                    GuidedBatch b = data.layout().unpack(batch);
                    long n = batches < 2 ? 8 : 4;
                    assertEquals(n, b.size());
                    assertEquals(new Shape(n, 1, 28, 28), b.images().getShape());
                    assertEquals(DataType.FLOAT32, b.images().getDataType());
                    assertEquals(new Shape(n), b.label("label").getShape());
                    assertEquals(DataType.INT32, b.label("label").getDataType());
                    assertEquals(new Shape(n, 1, 28, 28), b.allowedMask("label").getShape());
                    assertEquals(DataType.FLOAT32, b.allowedMask("label").getDataType());
                    assertEquals(new Shape(n), b.hasMask("label").getShape());
                    // 16 forbidden pixels per image, every sample masked
                    assertEquals(n * (784 - 16), b.allowedMask("label").sum().getFloat(), 0f);
                    assertEquals(n, b.hasMask("label").sum().getFloat(), 0f);
                    if (batches == 0) {
                        int[] labels = b.label("label").toIntArray();
                        for (int i = 0; i < n; i++) {
                            assertEquals(data.sample(i).labels()[0], labels[i]);
                        }
                        assertArrayEquals(data.sample(3).image(), b.images().get(3).toFloatArray());
                    }
                    batches++;
                }
            }
            assertEquals(3, batches);
        }
    }

    @Test
    void twoItemBatchHasTwoHeads() throws IOException, TranslateException {
        TwoItemFashionMnist data =
                TwoItemFashionMnist.builder()
                        .optUsage(Usage.TEST)
                        .optSubset(Subset.first(8))
                        .setSampling(4, true)
                        .build();
        try (NDManager manager = NDManager.newBaseManager()) {
            Batch batch = data.getData(manager).iterator().next();
            GuidedBatch b = data.layout().unpack(batch);
            assertEquals(new Shape(4, 1, 28, 56), b.images().getShape());
            assertEquals(2, b.labels().size());
            assertEquals(new Shape(4, 1, 28, 56), b.allowedMask("right").getShape());
            // left masks cover the left half only
            assertEquals(4 * 784, b.allowedMask("left").sum().getFloat(), 0f);
            assertEquals(0f, b.allowedMask("left").get(":, :, :, 28:").sum().getFloat(), 0f);
            batch.close();
        }
    }

    @Test
    void cleanRecordIsMadeOnTheGivenManagerWithoutMask() throws IOException {
        FashionMnistDataset data =
                FashionMnistDataset.builder()
                        .optSubset(Subset.first(5))
                        .setSampling(1, false)
                        .build();
        try (NDManager manager = NDManager.newBaseManager()) {
            Record record;
            try (NDManager scope = manager.newSubManager()) {
                record = data.get(scope, 2);
                assertEquals(scope, record.getData().head().getManager());
                assertEquals(new Shape(1, 28, 28), record.getData().head().getShape());
                NDList labels = record.getLabels();
                assertEquals(3, labels.size());
                assertEquals(new Shape(), labels.get(0).getShape());
                assertEquals(DataType.INT32, labels.get(0).getDataType());
                assertEquals(784f, labels.get(1).sum().getFloat(), 0f);
                assertEquals(0f, labels.get(2).getFloat(), 0f);
            }
            assertTrue(record.getData().head().isReleased(), "closing the scope frees the record");
        }
    }

    @Test
    void aBatchOfAnotherLayoutIsRejectedWithTheShapes() {
        try (NDManager manager = NDManager.newBaseManager()) {
            BatchLayout twoHeads =
                    BatchLayout.of(List.of(TwoItemFashionMnist.LEFT, TwoItemFashionMnist.RIGHT));
            NDList data = new NDList(manager.zeros(new Shape(2, 1, 28, 28)));
            NDList oneHead =
                    new NDList(manager.zeros(new Shape(2)), manager.ones(new Shape(2, 1, 28, 28)),
                            manager.zeros(new Shape(2)));
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class, () -> twoHeads.unpack(data, oneHead));
            assertTrue(e.getMessage().contains("6 label arrays"), e.getMessage());

            BatchLayout oneLayout = BatchLayout.of(List.of(FashionMnistBasedDataset.LABEL_HEAD));
            NDList wrongMask =
                    new NDList(manager.zeros(new Shape(2)), manager.ones(new Shape(2, 1, 14, 14)),
                            manager.zeros(new Shape(2)));
            e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> oneLayout.unpack(data, wrongMask));
            assertTrue(e.getMessage().contains("(2, 1, 14, 14)"), e.getMessage());
            assertTrue(e.getMessage().contains("(2, 1, 28, 28)"), e.getMessage());
        }
    }

    @Test
    void aMaskOfTheWrongSizeNamesTheSampleAndTheShapes() {
        Shape image = new Shape(1, 28, 56);
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> new GuidedSample(
                                17,
                                new float[28 * 56],
                                image,
                                new int[] {3},
                                List.of(new float[784]),
                                List.of(new Shape(1, 28, 28)),
                                new boolean[] {true}));
        assertTrue(e.getMessage().contains("sample 17"), e.getMessage());
        assertTrue(e.getMessage().contains("(1, 28, 28)"), e.getMessage());
        assertTrue(e.getMessage().contains("(1, 28, 56)"), e.getMessage());
    }
}
