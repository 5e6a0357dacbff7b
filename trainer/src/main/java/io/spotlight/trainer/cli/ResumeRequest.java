package io.spotlight.trainer.cli;

import io.spotlight.trainer.config.ConfigOverride;
import io.spotlight.trainer.config.SpotlightConfigError;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code resume=RUN_DIR} among {@code train}'s overrides. It is a key of the command, not of the
 * config: it is taken out before composing (so it never reaches {@code config.conf} or MLflow's
 * params), and {@code compare} or a config file do not know it.
 *
 * <p>A resumed run trains with the config saved in RUN_DIR and takes no other overrides: any
 * change (even of {@code epochs}, which sets the learning-rate schedule) would make it end
 * differently from the run it continues.
 */
final class ResumeRequest {
    static final String KEY = "resume";

    private ResumeRequest() {}

    /**
     * The run directory to resume, if {@code overrides} ask for one; relative paths are taken from
     * {@code home}, as the primary config's are.
     *
     * @throws SpotlightConfigError if resume is combined with other overrides or with -m, given
     *     twice, or written in another form than {@code resume=RUN_DIR}
     */
    static Optional<Path> find(List<String> overrides, boolean multirun, Path home) {
        List<String> asked = new ArrayList<>();
        List<String> others = new ArrayList<>();
        for (String text : overrides) {
            ConfigOverride o = ConfigOverride.parse(text);
            if (!o.key().equals(KEY)) {
                others.add(text);
            } else if (o.kind() != ConfigOverride.Kind.SET || o.value() == null || o.value().isBlank()) {
                throw new SpotlightConfigError("'" + text + "': write resume=RUN_DIR (the directory of the run to continue)");
            } else {
                asked.add(unquote(o.value()));
            }
        }
        if (asked.isEmpty()) {
            return Optional.empty();
        }
        if (asked.size() > 1) {
            throw new SpotlightConfigError("resume= is given " + asked.size() + " times (" + String.join(", ", asked)
                    + "); resume one run directory at a time");
        }
        if (multirun) {
            throw new SpotlightConfigError("resume= cannot be combined with -m: resume each job's directory on its own");
        }
        if (!others.isEmpty()) {
            throw new SpotlightConfigError("resume=" + asked.get(0) + " continues that run with its own config ("
                    + "config.conf in the run directory) and takes no other overrides, but got: " + String.join(" ", others)
                    + ". A resumed run must train as it started to end as the uninterrupted run would;"
                    + " for other settings start a new run.");
        }
        Path dir = Path.of(asked.get(0));
        return Optional.of(dir.isAbsolute() ? dir : home.resolve(dir).normalize());
    }

    private static String unquote(String value) {
        boolean quoted = value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                || value.startsWith("'") && value.endsWith("'"));
        return quoted ? value.substring(1, value.length() - 1) : value;
    }
}
