package io.spotlight.trainer.config;

import com.typesafe.config.ConfigIncludeContext;
import com.typesafe.config.ConfigIncluder;
import com.typesafe.config.ConfigIncluderFile;
import com.typesafe.config.ConfigObject;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Includer that treats {@code include "x.conf"} and {@code include file("x.conf")} as required.
 *
 * <p>Typesafe's default silently ignores a missing include, which turns a typo in a path into a
 * config that quietly lacks keys. Here a missing include is an error naming the resolved path and
 * the including file. Relative names resolve against the including file's folder; a name without
 * extension tries {@code .conf}, {@code .json}, {@code .properties} like Typesafe does.
 * {@code classpath(...)} and {@code url(...)} includes keep Typesafe's behaviour.
 */
final class StrictIncluder implements ConfigIncluder, ConfigIncluderFile {
    private static final List<String> EXTENSIONS = List.of(".conf", ".json", ".properties");

    private final SourceFiles sources;
    private final ConfigIncluder fallback;

    StrictIncluder(SourceFiles sources) {
        this(sources, null);
    }

    private StrictIncluder(SourceFiles sources, ConfigIncluder fallback) {
        this.sources = sources;
        this.fallback = fallback;
    }

    @Override
    public ConfigIncluder withFallback(ConfigIncluder fallback) {
        // Typesafe calls this for every file it opens; only the first fallback matters.
        return this.fallback != null ? this : new StrictIncluder(sources, fallback);
    }

    @Override
    public ConfigObject include(ConfigIncludeContext context, String what) {
        Path including = sources.current();
        if (including == null) {
            if (fallback == null) {
                throw new SpotlightConfigError("include \"" + what + "\" has no file to be relative to");
            }
            return fallback.include(context, what);
        }
        List<Path> candidates = candidates(including.getParent(), what);
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate)) {
                return sources.parse(candidate, context.parseOptions()).root();
            }
        }
        throw new SpotlightConfigError("Included file not found: " + describe(candidates)
                + " (include \"" + what + "\" in " + including + ")");
    }

    @Override
    public ConfigObject includeFile(ConfigIncludeContext context, File what) {
        Path file = what.toPath().toAbsolutePath().normalize();
        if (!Files.isRegularFile(file)) {
            Path including = sources.current();
            throw new SpotlightConfigError("Included file not found: " + file
                    + (including == null ? "" : " (include file(\"" + what + "\") in " + including + ")"));
        }
        return sources.parse(file, context.parseOptions()).root();
    }

    private static List<Path> candidates(Path dir, String what) {
        Path base = dir.resolve(what).normalize();
        String name = base.getFileName().toString();
        if (name.contains(".")) {
            return List.of(base);
        }
        List<Path> withExtensions = new ArrayList<>();
        for (String extension : EXTENSIONS) {
            withExtensions.add(base.resolveSibling(name + extension));
        }
        return withExtensions;
    }

    private static String describe(List<Path> candidates) {
        return candidates.size() == 1 ? candidates.get(0).toString() : "none of " + candidates;
    }
}
