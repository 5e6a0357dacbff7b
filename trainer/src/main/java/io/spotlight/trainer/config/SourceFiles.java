package io.spotlight.trainer.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Parses config files and remembers which ones were read, in order.
 *
 * <p>It also keeps the stack of files being parsed: Typesafe calls the includer while it parses the
 * including file, so the top of the stack is the file an {@code include} is relative to. Typesafe's
 * include context does not expose that file itself.
 */
final class SourceFiles {
    private final Deque<Path> parsing = new ArrayDeque<>();
    private final Set<Path> read = new LinkedHashSet<>();

    /** Parses one file without resolving it; syntax errors become errors naming file and line. */
    Config parse(Path file, ConfigParseOptions options) {
        Path normalized = file.toAbsolutePath().normalize();
        if (parsing.contains(normalized)) {
            throw new SpotlightConfigError("Include cycle: " + cycle(normalized));
        }
        read.add(normalized);
        parsing.push(normalized);
        try {
            return ConfigFactory.parseFile(normalized.toFile(), options);
        } catch (SpotlightConfigError e) {
            throw e;
        } catch (ConfigException.Parse e) {
            throw new SpotlightConfigError("HOCON syntax error in " + Origins.where(e.origin())
                    + ": " + Origins.bareMessage(e), e);
        } catch (ConfigException.IO e) {
            throw new SpotlightConfigError("Cannot read config file " + normalized + ": "
                    + Origins.bareMessage(e), e);
        } finally {
            parsing.pop();
        }
    }

    /** The file currently being parsed, or null outside of {@link #parse}. */
    Path current() {
        return parsing.peek();
    }

    /** Every file read so far, in first-read order. */
    List<Path> files() {
        return List.copyOf(read);
    }

    private String cycle(Path again) {
        StringBuilder chain = new StringBuilder();
        parsing.descendingIterator().forEachRemaining(p -> chain.append(p).append(" -> "));
        return chain.append(again).toString();
    }
}
