package io.spotlight.trainer.run;

import io.spotlight.cam.CamException;
import io.spotlight.cam.method.CamMethods;
import io.spotlight.cam.model.CamModel;
import io.spotlight.trainer.config.Cfg;
import io.spotlight.trainer.config.ComposedConfig;
import io.spotlight.trainer.config.SpotlightConfigError;
import io.spotlight.trainer.data.Head;
import java.util.List;

/**
 * The checks a run can make from its config alone, before its directory is created and before any
 * data is decoded: the model builds for the data set's heads, every guidance term's lambda, heads
 * and layer fit that model, the snapshot layer, method and head combination exist, and a
 * configured weights file is there.
 * A mistake of this kind then costs a second and leaves nothing behind, instead of an output
 * directory holding a failed run after the data set was loaded (or, for the snapshot layer,
 * after a whole epoch). The run itself checks all of it again.
 */
public final class RunPreflight {
    private RunPreflight() {}

    /** @throws RuntimeException naming the key and what was expected, as the run itself would */
    public static void check(ComposedConfig composed) {
        Cfg cfg = composed.cfg();
        List<Head> heads = DatasetFactory.heads(cfg.at("dataset"));
        ModelFactory.BuiltModel built = ModelFactory.build(cfg.at("model"), heads);
        CamModel model = CamModel.of(built.block());
        GuidanceFactory.check(cfg.at("guidance"), built, model);
        GuidanceFactory.precision(cfg);
        GuidanceFactory.layer(cfg.getString("snapshot.layer"), "snapshot.layer", built, model);
        try {
            CamMethods.byName(cfg.getString("snapshot.method"));
        } catch (CamException e) {
            throw new SpotlightConfigError("snapshot.method: " + e.getMessage(), e);
        }
        CamSnapshotListener.combiner(cfg);
        EvalMetrics metrics = EvalMetrics.from(cfg);
        if (!metrics.names().isEmpty()) {
            GuidanceFactory.layer(metrics.layer(), "eval.metrics_layer", built, model);
        }
        ModelWeights.configured(cfg.at("model"));
    }
}
