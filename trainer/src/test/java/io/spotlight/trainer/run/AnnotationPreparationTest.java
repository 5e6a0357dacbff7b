package io.spotlight.trainer.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.loss.Loss;
import io.spotlight.cam.model.CamModel;
import io.spotlight.losses.Annotations;
import io.spotlight.losses.GuidedLoss;
import io.spotlight.trainer.config.Cfg;
import io.spotlight.trainer.config.ConfigComposer;
import io.spotlight.trainer.data.DecoyFashionMnist;
import io.spotlight.trainer.data.GuidedBatch;
import io.spotlight.trainer.data.Head;
import io.spotlight.trainer.data.Subset;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * Where the trainer assembles batches (DJL's loader thread), the training set's target pipeline
 * makes what a guided step needs of the batch's masks alone; the step on the training thread finds
 * it made and makes nothing of its own.
 */
class AnnotationPreparationTest {
    private static final int BATCH = 16;
    private static final int BATCHES = 8;
    /** The last batch's samples: fewer than a batch, as an epoch's last batch often has. */
    private static final int LAST = 11;

    @Test
    void batchesAssembledAfterTheFirstGuidedStepArriveWithTheirMasksFitted() throws Exception {
        // 7 batches of 16 and a last one of 11
        Path repo = Path.of(System.getProperty("user.dir")).getParent();
        Cfg cfg = ConfigComposer.compose(repo.resolve("configs/train.conf"), repo.resolve("configs"),
                List.of("guidance=hirescam-features")).cfg();
        DecoyFashionMnist data = DecoyFashionMnist.builder().optSubset(Subset.random(BATCH * (BATCHES - 1) + LAST)).optSeed(3)
                .setSampling(BATCH, true).build();
        List<Head> heads = data.heads();
        ModelFactory.BuiltModel built = ModelFactory.build(cfg.at("model"), heads);
        ExecutorService loader = Executors.newSingleThreadExecutor();
        try (Model model = Model.newInstance("prepared", Device.cpu(), "PyTorch")) {
            model.setBlock(built.block());
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()).optExecutorService(loader);
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(1, 1, 28, 28));
                ParameterStore ps = new ParameterStore(trainer.getManager(), false);
                CamModel cam = CamModel.of(built.block());
                GuidedLoss loss = new GuidedLoss(cam, GuidanceFactory.terms(cfg.at("guidance"), built, cam, trainer.getManager(),
                        new long[] {1, 28, 28}), false);
                data.setTargetPipeline(new AnnotationPreparation(heads, loss));
                int index = 0;
                int prepared = 0;
                for (Batch batch : trainer.iterateDataset(data)) {
                    try (batch) {
                        assertInstanceOf(AnnotationPreparation.Labels.class, batch.getLabels());
                        GuidedBatch b = data.layout().unpack(batch); // the same arrays, in the common layout
                        Map<String, NDArray> labels = new HashMap<>();
                        Map<String, NDArray> allowed = new HashMap<>();
                        Map<String, NDArray> has = new HashMap<>();
                        for (Head h : heads) {
                            labels.put(h.name(), b.label(h.name()));
                            allowed.put(h.name(), b.allowedMask(h.name()));
                            has.put(h.name(), b.hasMask(h.name()));
                        }
                        Annotations a = AnnotationPreparation.of(batch, allowed, has);
                        int before = a.fittings();
                        // batches fetched ahead while the first step ran may come unprepared (DJL prefetches
                        // two); from the fourth on, each was assembled after that step
                        boolean last = b.size() == LAST;
                        if (index >= 3 && !last) {
                            assertTrue(before > 0, "batch " + index + " came with its masks fitted");
                        }
                        if (last) {
                            assertEquals(0, before, "fittings for batches of " + BATCH + " are not made for one of " + LAST);
                        }
                        prepared += before > 0 ? 1 : 0;
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            GuidedLoss.Result r = loss.evaluate(ps, b.images(), labels, a, true, index);
                            assertTrue(r.guided());
                            r.backward(gc);
                        }
                        if (before > 0) {
                            assertEquals(before, a.fittings(), "batch " + index + ": the step fitted nothing itself");
                        } else if (last) {
                            assertTrue(a.fittings() > 0, "the last batch's step fitted its own masks");
                        }
                        index++;
                    }
                }
                assertEquals(BATCHES, index);
                System.out.printf("%d of %d batches came with their masks fitted on the loader thread%n", prepared, BATCHES);
            }
        } finally {
            loader.shutdownNow();
        }
    }
}
