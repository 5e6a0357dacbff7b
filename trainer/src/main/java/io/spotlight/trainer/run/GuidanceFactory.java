package io.spotlight.trainer.run;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.spotlight.cam.CamException;
import io.spotlight.cam.GradientMode;
import io.spotlight.cam.map.ReceptiveField;
import io.spotlight.cam.method.CamMethod;
import io.spotlight.cam.method.CamMethods;
import io.spotlight.cam.model.CamModel;
import io.spotlight.cam.target.Targets;
import io.spotlight.losses.InputGradientPenalty;
import io.spotlight.losses.PenaltyTerm;
import io.spotlight.trainer.config.Cfg;
import io.spotlight.trainer.config.SpotlightConfigError;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Reads the {@code guidance} config group into penalty terms, resolving layers and dilations. */
public final class GuidanceFactory {
    private GuidanceFactory() {}

    public static List<PenaltyTerm> terms(Cfg guidance, ModelFactory.BuiltModel built, CamModel model,
            NDManager manager, long[] imageChw) {
        List<PenaltyTerm> terms = new ArrayList<>();
        for (String name : guidance.raw().getConfig("terms").root().keySet()) {
            Cfg t = guidance.at("terms." + name);
            String penalty = t.getString("penalty");
            double lambda = t.getDouble("lambda");
            if (!(lambda >= 0)) {
                throw new SpotlightConfigError("guidance.terms." + name + ".lambda must be >= 0, got " + lambda);
            }
            List<String> heads = null;
            if (!t.getString("heads").equals("all")) {
                heads = t.raw().getStringList("heads");
            }
            String where = "guidance.terms." + name;
            try {
                if (penalty.equals(InputGradientPenalty.NAME)) {
                    terms.add(new PenaltyTerm(name, penalty, null, null, heads, lambda, pixels(t, 0), GradientMode.EXACT, Targets.label()));
                    continue;
                }
                String layer = built.layer(t.getString("layer"));
                model.layer(layer); // unknown layers fail here, naming the term
                CamMethod method = CamMethods.byName(t.getString("method"));
                int dilation = t.getString("dilation").equals("rf")
                        ? ReceptiveField.measure(model, layer, manager, DataType.FLOAT32, imageChw).dilationRadius()
                        : pixels(t, 0);
                GradientMode mode = GradientMode.valueOf(
                        t.getStringIn("mode", java.util.Set.of("exact", "constant_weights")).toUpperCase(Locale.ROOT));
                terms.add(new PenaltyTerm(name, penalty, method, layer, heads, lambda, dilation, mode,
                        Targets.parse(t.getString("target"))));
            } catch (CamException e) {
                throw new SpotlightConfigError(where + ": " + e.getMessage(), e);
            }
        }
        return terms;
    }

    private static int pixels(Cfg t, int min) {
        return t.getInt("dilation", min, 64);
    }
}
