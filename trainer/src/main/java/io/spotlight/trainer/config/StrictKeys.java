package io.spotlight.trainer.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Config FILES are as strict as overrides: every key a user's file sets must be a key of
 * Spotlight's own configs (the schema: the repository's {@code configs/train.conf} and every option
 * of every group under {@code configs/}), so that {@code epoch = 5} beside {@code epochs = 2}, or
 * {@code optimizer { momentun = 0.9 }}, is an error naming the file, the line, the key and close
 * matches instead of a run with the defaults.
 *
 * <p>A key of the user's own is marked, as Hydra's {@code +} marks it on the command line, by
 * writing it with a leading {@code +}: {@code "+my_flag" = true} (quoted: HOCON needs it) sets
 * {@code my_flag}. Some objects hold names the user chooses ({@link #FREE}: guidance terms, layer
 * aliases, class lists per head) and the command sections of experiments ({@code compare},
 * {@code suite}, read and checked by their commands); below them only the fixed part is checked
 * (a term's fields, not its name).
 */
final class StrictKeys {
    private StrictKeys() {}

    /** Objects whose keys are names the user chooses; what follows a name is checked as usual. */
    private static final List<String> FREE = List.of("guidance.terms", "model.layers", "dataset.classes");
    /** Sections read by one command each, which checks them itself. */
    private static final List<String> COMMAND_SECTIONS = List.of("compare", "suite");
    /** The repository's primary config, part of the schema. */
    private static final String PRIMARY = "train.conf";

    private static final Map<Path, Set<String>> SCHEMAS = new ConcurrentHashMap<>();

    /** A config with its {@code "+key"}s moved to {@code key}, and those keys (the user's own). */
    record Unmarked(Config config, Set<String> userKeys) {}

    /**
     * Moves every {@code "+key"} of {@code config} to {@code key}: the marker only says the key is
     * the user's own.
     */
    static Unmarked unmark(Config config) {
        Config out = config;
        Set<String> user = new TreeSet<>();
        for (String path : markedPaths(config.root(), new ArrayList<>())) {
            List<String> parts = ConfigUtil.splitPath(path);
            List<String> clean = parts.stream().map(p -> p.startsWith("+") ? p.substring(1) : p).toList();
            ConfigValue value = out.getValue(path);
            String key = ConfigUtil.joinPath(clean);
            out = out.withoutPath(path).withValue(key, value);
            user.add(key);
        }
        return new Unmarked(out, user);
    }

    /**
     * @param composed the composed config (before command-line overrides)
     * @param schemaDir the repository's config folder (the search path's last), or null for no check
     * @param userKeys keys the files marked as the user's own (see {@link #unmark})
     * @throws SpotlightConfigError naming the first undeclared key set in a file outside {@code schemaDir}
     */
    static void check(Config composed, Path schemaDir, Set<String> userKeys) {
        if (schemaDir == null || !Files.isDirectory(schemaDir)) {
            return;
        }
        Path schemaRoot = schemaDir.toAbsolutePath().normalize();
        Set<String> declared = SCHEMAS.computeIfAbsent(schemaRoot, StrictKeys::declaredKeys);
        List<String> problems = new ArrayList<>();
        walk(composed.root(), "", (path, value) -> {
            ConfigOrigin origin = value.origin();
            if (origin == null || origin.filename() == null) {
                return; // command-line overrides (checked when applied) and built-ins
            }
            if (Path.of(origin.filename()).toAbsolutePath().normalize().startsWith(schemaRoot)) {
                return;
            }
            boolean own = userKeys.stream().anyMatch(k -> path.equals(k) || path.startsWith(k + "."));
            if (!own && !isDeclared(path, declared)) {
                problems.add("Config key '" + path + "' (set at " + Origins.where(origin) + ") is not a key of Spotlight's configs ("
                        + schemaRoot.resolve(PRIMARY) + " and the groups under " + schemaRoot + ")."
                        + ConfigPaths.didYouMean(path, new ArrayList<>(declared))
                        + " A key of your own must be marked with +, as on the command line: write \"+" + lastSegment(path)
                        + "\" = ... in the file (or +" + path + "=... as an override).");
            }
        });
        if (!problems.isEmpty()) {
            throw new SpotlightConfigError(String.join("\n", problems));
        }
    }

    /** Declared iff its normal form or an ancestor's is in the schema (an empty object declares its subtree). */
    private static boolean isDeclared(String path, Set<String> declared) {
        String normal = normalise(path);
        for (String section : COMMAND_SECTIONS) {
            if (normal.equals(section) || normal.startsWith(section + ".")) {
                return true;
            }
        }
        if (declared.contains(normal)) {
            return true;
        }
        for (String free : FREE) {
            boolean structured = declared.stream().anyMatch(k -> k.startsWith(free + ".*."));
            if (normal.equals(free + ".*") || (!structured && normal.startsWith(free + ".*") && declared.contains(free))) {
                return true; // a user's name (and, where the schema says nothing below names, what it holds)
            }
        }
        return false;
    }

    /** {@code guidance.terms.mine.lambda} → {@code guidance.terms.*.lambda}. */
    private static String normalise(String path) {
        for (String free : FREE) {
            if (path.startsWith(free + ".")) {
                String rest = path.substring(free.length() + 1);
                List<String> parts = ConfigUtil.splitPath(rest);
                String tail = parts.size() > 1 ? "." + ConfigUtil.joinPath(parts.subList(1, parts.size())) : "";
                return free + ".*" + tail;
            }
        }
        return path;
    }

    private static Set<String> declaredKeys(Path schemaDir) {
        Set<String> keys = new TreeSet<>();
        try {
            Path primary = schemaDir.resolve(PRIMARY);
            if (Files.isRegularFile(primary)) {
                Config c = ConfigFactory.parseFile(primary.toFile()).withoutPath(DefaultsList.KEY);
                walk(c.root(), "", (path, v) -> keys.add(normalise(path)));
                walkObjects(c.root(), "", keys);
            }
            try (var groups = Files.list(schemaDir)) {
                for (Path group : groups.filter(Files::isDirectory).toList()) {
                    try (var options = Files.list(group)) {
                        for (Path option : options.filter(p -> p.toString().endsWith(SearchPath.OPTION_EXTENSION)).toList()) {
                            Config c = ConfigFactory.parseFile(option.toFile());
                            String prefix = ConfigUtil.joinPath(group.getFileName().toString());
                            keys.add(prefix);
                            walk(c.root(), prefix, (path, v) -> keys.add(normalise(path)));
                            walkObjects(c.root(), prefix, keys);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        keys.add("run.dir");
        return keys;
    }

    private interface Visitor {
        void leaf(String path, ConfigValue value);
    }

    /** Visits every non-object value (lists are values) with its full path. */
    private static void walk(ConfigObject object, String prefix, Visitor visitor) {
        for (Map.Entry<String, ConfigValue> e : object.entrySet()) {
            String path = prefix.isEmpty() ? ConfigUtil.joinPath(e.getKey()) : prefix + "." + ConfigUtil.joinPath(e.getKey());
            if (e.getValue() instanceof ConfigObject child) {
                if (child.isEmpty()) {
                    visitor.leaf(path, child);
                }
                walk(child, path, visitor);
            } else {
                visitor.leaf(path, e.getValue());
            }
        }
    }

    /** Adds the path of every object, so that e.g. {@code dataset.classes} declares its (free) subtree. */
    private static void walkObjects(ConfigObject object, String prefix, Set<String> keys) {
        for (Map.Entry<String, ConfigValue> e : object.entrySet()) {
            if (e.getValue() instanceof ConfigObject child) {
                String path = prefix.isEmpty() ? ConfigUtil.joinPath(e.getKey()) : prefix + "." + ConfigUtil.joinPath(e.getKey());
                keys.add(normalise(path));
                walkObjects(child, path, keys);
            }
        }
    }

    private static List<String> markedPaths(ConfigObject object, List<String> parents) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, ConfigValue> e : object.entrySet()) {
            List<String> here = new ArrayList<>(parents);
            here.add(e.getKey());
            if (e.getKey().startsWith("+")) {
                out.add(ConfigUtil.joinPath(here));
            } else if (e.getValue() instanceof ConfigObject child) {
                out.addAll(markedPaths(child, here));
            }
        }
        return out;
    }

    private static String lastSegment(String path) {
        List<String> parts = ConfigUtil.splitPath(path);
        return parts.get(parts.size() - 1);
    }
}
