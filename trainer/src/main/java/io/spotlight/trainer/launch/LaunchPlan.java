package io.spotlight.trainer.launch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.spotlight.trainer.config.SpotlightConfigError;
import io.spotlight.trainer.run.RunFilesListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a launch runs, saved as {@value #FILE} in its folder (the multirun or compare directory)
 * before any trial starts: each trial's process reads its spec from it, and {@code ./spotlight
 * collect DIR} gathers the results from it later.
 *
 * @param kind        what made the trials and turns their summaries into a result: {@code
 *                    multirun}, {@code compare}, ...
 * @param dir         the folder holding the trials' run directories
 * @param parentRunId the MLflow parent run whose children the trials are, or null
 * @param trackingUri where the trials track (the parent's server), or null
 * @param context     what the kind needs to make its result again (e.g. the experiment of a comparison)
 */
public record LaunchPlan(String kind, Path dir, String parentRunId, String trackingUri, List<TrialSpec> trials,
        Map<String, Object> context) {
    public static final String FILE = "launch.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public LaunchPlan {
        trials = List.copyOf(trials);
        context = context == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(context));
    }

    public void save() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("kind", kind);
        out.put("dir", dir.toString());
        out.put("parent_run_id", parentRunId);
        out.put("tracking_uri", trackingUri);
        List<Map<String, Object>> ts = new ArrayList<>();
        for (TrialSpec t : trials) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", t.name());
            m.put("primary", t.primary().toString());
            m.put("configs", t.configs().stream().map(Path::toString).toList());
            m.put("overrides", t.overrides());
            m.put("run_dir", t.runDir().toString());
            ts.add(m);
        }
        out.put("trials", ts);
        out.put("context", context);
        try {
            RunFilesListener.writeAtomically(dir.resolve(FILE), JSON.writeValueAsBytes(out));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** @throws SpotlightConfigError when {@code dir} holds no launch */
    public static LaunchPlan load(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new SpotlightConfigError(dir + " holds no " + FILE + ": give the folder that train -m, compare or suite"
                    + " printed (the multirun, compare or suite directory)");
        }
        try {
            JsonNode n = JSON.readTree(file.toFile());
            List<TrialSpec> trials = new ArrayList<>();
            for (JsonNode t : n.path("trials")) {
                List<String> overrides = new ArrayList<>();
                t.path("overrides").forEach(o -> overrides.add(o.asText()));
                List<Path> configs = new ArrayList<>();
                t.path("configs").forEach(c -> configs.add(Path.of(c.asText())));
                trials.add(new TrialSpec(t.path("name").asText(), Path.of(t.path("primary").asText()), configs, overrides,
                        Path.of(t.path("run_dir").asText())));
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> context = JSON.convertValue(n.path("context"), Map.class);
            return new LaunchPlan(n.path("kind").asText(), Path.of(n.path("dir").asText()), text(n, "parent_run_id"),
                    text(n, "tracking_uri"), trials, context);
        } catch (IOException e) {
            throw new SpotlightConfigError(file + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode n, String key) {
        JsonNode v = n.path(key);
        return v.isMissingNode() || v.isNull() ? null : v.asText();
    }
}
