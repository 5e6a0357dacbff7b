package io.spotlight.trainer.run;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigValue;
import io.spotlight.cam.CamException;
import io.spotlight.cam.GradientMode;
import io.spotlight.cam.Precision;
import io.spotlight.cam.map.ReceptiveField;
import io.spotlight.cam.method.CamMethod;
import io.spotlight.cam.method.CamMethods;
import io.spotlight.cam.model.CamModel;
import io.spotlight.cam.target.Targets;
import io.spotlight.losses.Amortisation;
import io.spotlight.losses.InputGradientPenalty;
import io.spotlight.losses.PenaltyTerm;
import io.spotlight.trainer.config.Cfg;
import io.spotlight.trainer.config.SpotlightConfigError;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.ToIntFunction;

/** Reads the {@code guidance} config group into penalty terms, resolving layers and dilations. */
public final class GuidanceFactory {
    private GuidanceFactory() {}

    public static List<PenaltyTerm> terms(Cfg guidance, ModelFactory.BuiltModel built, CamModel model,
            NDManager manager, long[] imageChw) {
        return terms(guidance, built, model,
                layer -> ReceptiveField.measure(model, layer, manager, DataType.FLOAT32, imageChw).dilationRadius());
    }

    /**
     * Checks every term against the model (lambda, heads, layer, method, mode, target) without
     * measuring anything: what a run checks before it creates its directory or reads any data.
     */
    public static void check(Cfg guidance, ModelFactory.BuiltModel built, CamModel model) {
        List<PenaltyTerm> terms = terms(guidance, built, model, layer -> 0);
        Amortisation amortisation = amortisation(guidance);
        for (PenaltyTerm t : terms) {
            if (t.isCounterfactualMix() && amortisation.subBatch() != 0) {
                throw new SpotlightConfigError("guidance.sub_batch must be 0 with guidance.terms." + t.name() + " ("
                        + t.penalty() + ", whose pairs = " + t.pairs() + " bound its extra forward), got " + amortisation.subBatch()
                        + " (defined at " + guidance.origin("sub_batch") + ")");
            }
        }
    }

    /**
     * {@code guidance.every} and {@code guidance.sub_batch} (see {@link Amortisation}). A config
     * without them (a run saved before they existed, which a resume reads) guides every step on
     * the whole batch, as such runs did.
     */
    public static Amortisation amortisation(Cfg guidance) {
        int every = guidance.has("every") ? guidance.getInt("every", 1, 1 << 20) : 1;
        int subBatch = guidance.has("sub_batch") ? guidance.getInt("sub_batch", 0, 1 << 16) : 0;
        return new Amortisation(every, subBatch);
    }

    /**
     * The top-level {@code precision} key: {@code fp32} or {@code bf16} (the maps of the CAM terms
     * in bfloat16, see {@link Precision}); anything else is an error naming the key and both
     * values. A config without it (saved before it existed, which a resume reads) is fp32.
     */
    public static Precision precision(Cfg cfg) {
        if (!cfg.has("precision")) {
            return Precision.FP32;
        }
        Set<String> allowed = new java.util.LinkedHashSet<>();
        for (Precision p : Precision.values()) {
            allowed.add(p.configName());
        }
        return Precision.of(cfg.getStringIn("precision", allowed));
    }

    private static List<PenaltyTerm> terms(Cfg guidance, ModelFactory.BuiltModel built, CamModel model,
            ToIntFunction<String> receptiveFieldRadius) {
        List<PenaltyTerm> terms = new ArrayList<>();
        for (String name : guidance.raw().getConfig("terms").root().keySet()) {
            Cfg t = guidance.at("terms." + name);
            String where = "guidance.terms." + name;
            String penalty = t.getString("penalty");
            double lambda = t.getDouble("lambda");
            if (!(lambda >= 0) || Double.isInfinite(lambda)) {
                throw new SpotlightConfigError(where + ".lambda must be a finite number >= 0, got " + lambda
                        + " (defined at " + t.origin("lambda") + "); 0 switches the term off");
            }
            List<String> heads = heads(t, where, model.headNames());
            try {
                boolean mix = penalty.equals(io.spotlight.losses.CounterfactualMix.NAME);
                if (t.has("pairs") != mix) {
                    throw new SpotlightConfigError(where + (mix ? ".pairs is missing: " + penalty
                            + " needs the number of annotated samples per step paired with their counterfactual"
                            : ".pairs (defined at " + t.origin("pairs") + ") is only for " + io.spotlight.losses.CounterfactualMix.NAME
                                    + ", not " + penalty));
                }
                if (penalty.equals(InputGradientPenalty.NAME) || io.spotlight.losses.CounterfactualConsistency.isName(penalty)
                        || io.spotlight.losses.CounterfactualAugmentation.isName(penalty) || mix) {
                    terms.add(new PenaltyTerm(name, penalty, null, null, heads, lambda, pixels(t, 0), GradientMode.EXACT, Targets.label(),
                            mix ? t.getInt("pairs", 1, 1 << 16) : 0));
                    continue;
                }
                String layer = layer(t.getString("layer"), where + ".layer", built, model);
                CamMethod method = CamMethods.byName(t.getString("method"));
                int dilation = t.getString("dilation").equals("rf") ? receptiveFieldRadius.applyAsInt(layer) : pixels(t, 0);
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

    /**
     * Resolves a layer alias or path, or fails naming the config key, the model's aliases and its
     * top-level children, which is what a user picks from.
     */
    public static String layer(String nameOrPath, String key, ModelFactory.BuiltModel built, CamModel model) {
        String layer = built.layer(nameOrPath);
        try {
            model.layer(layer);
            return layer;
        } catch (CamException e) {
            List<String> aliases = new ArrayList<>();
            new java.util.TreeMap<>(built.layers()).forEach((alias, path) -> aliases.add(alias + " = " + path));
            throw new SpotlightConfigError(key + ": " + e.getMessage() + ". Layer aliases of this model: "
                    + (aliases.isEmpty() ? "none" : String.join(", ", aliases)) + "; a path such as trunk/0 works too."
                    + Cfg.didYouMean(nameOrPath, new ArrayList<>(built.layers().keySet())), e);
        }
    }

    /**
     * {@code all} (null), or the guided heads: a list, one name, or names separated by commas
     * (what a command-line override can give). A name the model does not have is an error here
     * rather than a term that silently guides nothing.
     */
    private static List<String> heads(Cfg t, String where, List<String> modelHeads) {
        ConfigValue value = t.raw().getValue("heads");
        List<String> heads;
        if (value instanceof ConfigList) {
            heads = t.raw().getStringList("heads");
        } else if (t.getString("heads").equals("all")) {
            return null;
        } else {
            heads = Arrays.stream(t.getString("heads").split(",")).map(String::strip).toList();
        }
        if (heads.isEmpty() || heads.contains("")) {
            throw new SpotlightConfigError(where + ".heads lists no head (" + value.render() + ", defined at "
                    + t.origin("heads") + "); write all or head names from " + modelHeads);
        }
        for (String head : heads) {
            if (!modelHeads.contains(head)) {
                throw new SpotlightConfigError(where + ".heads names unknown head '" + head + "' (defined at "
                        + t.origin("heads") + "); the model's heads, from the data set, are " + modelHeads + "."
                        + Cfg.didYouMean(head, modelHeads));
            }
        }
        return heads;
    }

    /**
     * The dilation in pixels. Digits in a string count too: overriding a file's {@code dilation =
     * rf} on the command line ({@code ...dilation=0}) keeps the key's string type, so the number
     * arrives as the string "0".
     */
    private static int pixels(Cfg t, int min) {
        String text = t.getString("dilation").strip();
        if (text.matches("\\d{1,2}") && Integer.parseInt(text) >= min && Integer.parseInt(text) <= 64) {
            return Integer.parseInt(text);
        }
        return t.getInt("dilation", min, 64); // anything else: the error naming the key, the range and the value
    }
}
