package io.spotlight.trainer.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.loss.Loss;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** DJL's own training loop reads the data sets: Trainer.iterateDataset, forward, a loss. */
class TrainerIterationTest {

    @Test
    void trainerIteratesADecoyDatasetAndTheLabelsFeedACrossEntropy()
            throws IOException, TranslateException {
        DecoyFashionMnist data =
                DecoyFashionMnist.builder()
                        .optSubset(Subset.random(64))
                        .optSeed(5)
                        .setSampling(16, true)
                        .build();
        SequentialBlock net =
                new SequentialBlock()
                        .add(Blocks.batchFlattenBlock())
                        .add(Linear.builder().setUnits(10).build());
        DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss());
        try (Model model = Model.newInstance("probe")) {
            model.setBlock(net);
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(1, 1, 28, 28));
                int seen = 0;
                for (Batch batch : trainer.iterateDataset(data)) {
                    GuidedBatch b = data.layout().unpack(batch);
                    NDArray logits = trainer.forward(batch.getData()).singletonOrThrow();
                    assertEquals(new Shape(16, 10), logits.getShape());
                    NDArray loss =
                            Loss.softmaxCrossEntropyLoss()
                                    .evaluate(new NDList(b.label("label")), new NDList(logits));
                    float value = loss.getFloat();
                    assertTrue(value > 0 && value < 10, "cross-entropy " + value);
                    seen += (int) b.size();
                    batch.close();
                }
                assertEquals(64, seen);
            }
        }
    }
}
