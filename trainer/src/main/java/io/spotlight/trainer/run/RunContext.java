package io.spotlight.trainer.run;

import ai.djl.Device;
import ai.djl.training.ParameterStore;
import io.spotlight.cam.model.CamModel;
import io.spotlight.losses.GuidedLoss;
import io.spotlight.trainer.config.ComposedConfig;
import io.spotlight.trainer.optim.StatefulOptimizer;
import java.nio.file.Path;

/**
 * What listeners may read about the run in progress.
 *
 * @param name the run's name
 * @param runDir the run's output directory
 * @param config the resolved config
 * @param model the model as the CAM code sees it
 * @param built the model and its layer aliases
 * @param datasets training and test sets
 * @param device where tensors live
 * @param parameters parameter access for forward passes outside the training step
 * @param stepsPerEpoch optimizer steps in one epoch
 * @param epochs epochs in the run
 * @param images hands a rendered image to every listener ({@link SpotlightListener#onImage})
 * @param optimizer the optimizer, whose state checkpoints save
 * @param loss the guided loss, whose auto-scales checkpoints save
 */
public record RunContext(
        String name,
        Path runDir,
        ComposedConfig config,
        CamModel model,
        ModelFactory.BuiltModel built,
        DatasetFactory.Datasets datasets,
        Device device,
        ParameterStore parameters,
        long stepsPerEpoch,
        int epochs,
        ImageSink images,
        StatefulOptimizer optimizer,
        GuidedLoss loss) {

    /** Where listeners that render images publish them. */
    @FunctionalInterface
    public interface ImageSink {
        void publish(String key, long step, byte[] png);
    }
}
