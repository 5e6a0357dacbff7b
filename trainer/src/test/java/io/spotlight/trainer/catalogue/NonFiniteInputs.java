package io.spotlight.trainer.catalogue;

import static io.spotlight.trainer.catalogue.BadInputCatalogueTest.assertMentions;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.RandomAccessDataset;
import io.spotlight.trainer.data.AbstractGuidedDataset;
import io.spotlight.trainer.data.GuidedSample;
import io.spotlight.trainer.data.Head;
import io.spotlight.trainer.run.ErrorMessages;
import io.spotlight.trainer.run.NonFiniteLossException;
import java.util.Arrays;
import java.util.List;

/**
 * NaN or Inf reaching a batch by a way that files cannot take (a data set written in code): every
 * data set's samples are checked on their way into a batch, naming the sample; and when a loss
 * is non-finite the step's message says whether the batch itself was.
 */
final class NonFiniteInputs {
    private NonFiniteInputs() {}

    /** Four 1x2x2 samples; sample 2 has +Inf in its last pixel. */
    static final class Poisoned extends AbstractGuidedDataset {
        Poisoned() {
            super(new Builder().setSampling(4, false));
        }

        @Override
        protected void load() {}

        @Override
        protected int loadedSize() {
            return 4;
        }

        @Override
        public GuidedSample sample(int index) {
            float[] image = {0.1f, 0.2f, 0.3f, index == 2 ? Float.POSITIVE_INFINITY : 0.4f};
            float[] mask = new float[4];
            Arrays.fill(mask, 1f);
            return GuidedSample.of(index, image, new Shape(1, 2, 2), new int[] {index % 2}, List.of(mask), new boolean[] {false});
        }

        @Override
        public List<Head> heads() {
            return List.of(new Head("label", List.of("a", "b")));
        }

        @Override
        public Shape imageShape() {
            return new Shape(1, 2, 2);
        }

        static final class Builder extends RandomAccessDataset.BaseBuilder<Builder> {
            @Override
            protected Builder self() {
                return this;
            }
        }
    }

    static void assertCaughtPerSampleAndPerBatch() throws Exception {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            // DJL wraps the data set's exception in "Data loading failed"; the user is told the cause
            Exception e = assertThrows(Exception.class, () -> {
                for (Batch b : new Poisoned().getData(manager)) {
                    b.close();
                }
            });
            assertMentions(ErrorMessages.describe(e), "Data loading failed", "Poisoned sample 2",
                    "1 of 4 pixel values are NaN or infinite", "Infinity");

            NDArray batch = manager.create(new float[] {0, 1, Float.NaN, 1, Float.NEGATIVE_INFINITY, Float.NaN}, new Shape(3, 1, 1, 2));
            assertMentions(NonFiniteLossException.inputNote(batch), "holds 3 NaN or infinite values", "in samples [1, 2]", "of 3");
            assertMentions(NonFiniteLossException.inputNote(manager.ones(new Shape(2, 1, 2, 2))),
                    "the input batch is finite", "weights or the loss");
        }
    }
}
