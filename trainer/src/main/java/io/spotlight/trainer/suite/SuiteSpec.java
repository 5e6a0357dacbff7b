package io.spotlight.trainer.suite;

import io.spotlight.trainer.config.Cfg;
import io.spotlight.trainer.config.SpotlightConfigError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a suite runs, read from the {@code suite} block of its config: shortcut kinds (each a list
 * of overrides selecting a data set, plus the overrides that remove its shortcut for the clean
 * reference), variants (override lists, as in a comparison), seeds, the roles of three variants
 * and the targets.
 *
 * @param kinds kind → how to get it
 * @param variants variant → its overrides, in run order (baseline, reference, then the rest)
 * @param seeds every (kind, variant) is trained once per seed: {@code seed} and {@code dataset.seed}
 * @param baseline the unguided variant
 * @param reference the clean reference (trained with the kind's {@code clean} overrides added)
 * @param recommended the variant the targets are checked on
 * @param measureOverrides how {@code cam_outside_share} is measured for every variant
 * @param targets the targets, see {@link SuiteTargets}
 */
public record SuiteSpec(
        Map<String, Kind> kinds,
        Map<String, List<String>> variants,
        List<Integer> seeds,
        String baseline,
        String reference,
        String recommended,
        List<String> measureOverrides,
        SuiteTargets targets) {

    /** One shortcut kind: the overrides that select it and those that make its clean training set. */
    public record Kind(List<String> overrides, List<String> clean) {}

    /** Reads {@code suite} of a composed experiment config, keeping only the named kinds/variants/seeds if given. */
    public static SuiteSpec of(Cfg cfg, List<String> onlyKinds, List<String> onlyVariants, List<Integer> onlySeeds) {
        Cfg s = cfg.at("suite");
        Map<String, Kind> kinds = new LinkedHashMap<>();
        for (String kind : inFileOrder(s.raw().getConfig("kinds").root())) {
            Cfg k = s.at("kinds").at(quoted(kind));
            kinds.put(kind, new Kind(k.raw().getStringList("overrides"),
                    k.has("clean") ? k.raw().getStringList("clean") : List.of()));
        }
        String baseline = s.getString("baseline");
        String reference = s.getString("reference");
        String recommended = s.getString("recommended");
        Map<String, List<String>> variants = new LinkedHashMap<>();
        Map<String, List<String>> declared = new LinkedHashMap<>();
        for (String v : inFileOrder(s.raw().getConfig("variants").root())) {
            declared.put(v, s.raw().getStringList("variants." + quoted(v)));
        }
        for (String role : List.of(baseline, reference, recommended)) {
            if (!declared.containsKey(role)) {
                throw new SpotlightConfigError("suite: variant '" + role + "' (named as baseline, reference or recommended) "
                        + "is not defined under suite.variants; variants are " + declared.keySet());
            }
        }
        for (String first : List.of(baseline, reference)) {
            variants.put(first, declared.get(first));
        }
        declared.forEach(variants::putIfAbsent);
        List<Integer> seeds = s.raw().getIntList("seeds");
        if (seeds.isEmpty()) {
            throw new SpotlightConfigError("suite.seeds is empty: give at least one seed, e.g. suite.seeds=[1,2,3]");
        }
        List<String> measure = new ArrayList<>();
        if (s.has("measure")) {
            measure.add("snapshot.method=" + s.getString("measure.method"));
            measure.add("snapshot.layer=" + s.getString("measure.layer"));
        }
        SuiteTargets targets = SuiteTargets.of(s.has("targets") ? s.at("targets") : null);
        return new SuiteSpec(keep(kinds, onlyKinds, "kind"), keep(variants, onlyVariants, "variant"),
                keepSeeds(seeds, onlySeeds), baseline, reference, recommended, measure, targets);
    }

    /** The overrides of one trial, before the command line's. */
    public List<String> overrides(String kind, String variant, int seed) {
        List<String> all = new ArrayList<>(kinds.get(kind).overrides());
        all.addAll(variants.get(variant));
        if (variant.equals(reference)) {
            all.addAll(kinds.get(kind).clean());
        }
        all.add("seed=" + seed);
        all.add("dataset.seed=" + seed);
        all.addAll(measureOverrides);
        return all;
    }

    /** HOCON objects do not keep their keys' order; the lines they were written on do. */
    private static List<String> inFileOrder(com.typesafe.config.ConfigObject object) {
        List<String> keys = new ArrayList<>(object.keySet());
        keys.sort(java.util.Comparator.comparingInt((String k) -> object.get(k).origin().lineNumber()).thenComparing(k -> k));
        return keys;
    }

    private static <T> Map<String, T> keep(Map<String, T> all, List<String> only, String what) {
        if (only == null || only.isEmpty()) {
            return all;
        }
        Map<String, T> kept = new LinkedHashMap<>();
        for (String name : only) {
            if (!all.containsKey(name)) {
                throw new SpotlightConfigError("unknown " + what + " '" + name + "'; the suite's " + what + "s are " + all.keySet());
            }
        }
        all.forEach((k, v) -> {
            if (only.contains(k)) {
                kept.put(k, v);
            }
        });
        return kept;
    }

    private static List<Integer> keepSeeds(List<Integer> seeds, List<Integer> only) {
        return only == null || only.isEmpty() ? List.copyOf(seeds) : List.copyOf(only);
    }

    private static String quoted(String key) {
        return key.contains(".") ? "\"" + key + "\"" : key;
    }
}
