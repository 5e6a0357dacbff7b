package io.spotlight.trainer.config;

import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Walks config trees by path without calling methods that throw on unresolved values, and finds
 * close matches for a mistyped key.
 */
final class ConfigPaths {
    private ConfigPaths() {}

    /** Outcome of a lookup: the value, nothing, or "cannot tell" (an unresolved value on the way). */
    record Lookup(ConfigValue value, boolean known) {
        static final Lookup MISSING = new Lookup(null, true);
        static final Lookup UNKNOWN = new Lookup(null, false);

        boolean exists() {
            return value != null || !known;
        }
    }

    /**
     * Finds the value at {@code path}; a HOCON {@code null} is found (as a null value), a path
     * through a non-object is missing, a path through an unresolved value is unknown.
     */
    static Lookup lookup(ConfigObject root, List<String> path) {
        ConfigValue current = root;
        for (String segment : path) {
            if (!(current instanceof ConfigObject)) {
                return isUnresolved(current) ? Lookup.UNKNOWN : Lookup.MISSING;
            }
            current = ((ConfigObject) current).get(segment);
            if (current == null) {
                return Lookup.MISSING;
            }
        }
        return new Lookup(current, true);
    }

    static boolean isUnresolved(ConfigValue value) {
        try {
            value.valueType();
            return false;
        } catch (com.typesafe.config.ConfigException.NotResolved e) {
            return true;
        }
    }

    /** Every path in the tree: objects and leaves, with list elements not descended into. */
    static List<String> allPaths(ConfigObject root) {
        List<String> paths = new ArrayList<>();
        collect(root, new ArrayList<>(), paths);
        return paths;
    }

    private static void collect(ConfigObject object, List<String> prefix, List<String> out) {
        for (Map.Entry<String, ConfigValue> entry : object.entrySet()) {
            List<String> path = new ArrayList<>(prefix);
            path.add(entry.getKey());
            out.add(ConfigUtil.joinPath(path));
            if (entry.getValue() instanceof ConfigObject) {
                collect((ConfigObject) entry.getValue(), path, out);
            }
        }
    }

    /**
     * Up to three paths close to {@code key}: at most a few edits away (one per four characters,
     * one to three), or with the same last segment, so {@code lr} suggests {@code optimizer.lr}.
     * Ancestors of the key are not suggested: {@code optimizer} is no fix for {@code optimizer.lrr}.
     */
    static List<String> closeMatches(String key, List<String> candidates) {
        String last = lastSegment(key);
        int budget = Math.max(1, Math.min(3, key.length() / 4));
        List<String> close = new ArrayList<>();
        for (String candidate : candidates) {
            if (candidate.equals(key) || key.startsWith(candidate + ".")) {
                continue;
            }
            if (distance(key, candidate) <= budget || lastSegment(candidate).equals(last)) {
                close.add(candidate);
            }
        }
        close.sort(Comparator.comparingInt((String c) -> distance(key, c)).thenComparing(c -> c));
        return close.size() > 3 ? close.subList(0, 3) : close;
    }

    static String didYouMean(String key, List<String> candidates) {
        List<String> close = closeMatches(key, candidates);
        return close.isEmpty() ? "" : " Did you mean " + String.join(" or ", close) + "?";
    }

    private static String lastSegment(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? path : path.substring(dot + 1);
    }

    static String typeName(ConfigValue value) {
        if (value instanceof ConfigList) {
            return "list";
        }
        switch (value.valueType()) {
            case NUMBER:
                return "number";
            case STRING:
                return "string";
            case BOOLEAN:
                return "boolean";
            case OBJECT:
                return "object";
            case NULL:
                return "null";
            default:
                return value.valueType().name().toLowerCase();
        }
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
