package io.spotlight.trainer.launch;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.spotlight.trainer.config.ComposedConfig;
import io.spotlight.trainer.config.ConfigComposer;
import io.spotlight.trainer.config.ConfigRenderer;
import io.spotlight.trainer.config.SavedConfig;
import io.spotlight.trainer.config.SearchPath;
import io.spotlight.trainer.optim.Checkpoint;
import io.spotlight.trainer.run.ErrorMessages;
import io.spotlight.trainer.run.ResumePoint;
import io.spotlight.trainer.run.RunFilesListener;
import io.spotlight.trainer.run.RunLauncher;
import io.spotlight.trainer.run.RunPreflight;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs one trial in this process, whoever launched it. A first attempt composes the config,
 * saves it and trains; a later attempt (a requeued SLURM task) finds the config in the run
 * directory and continues: from the newest intact checkpoint ({@code resume=}'s path, same MLflow
 * run), from the first step when the attempt before it wrote none, or not at all when it finished.
 */
public final class Trial {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Trial() {}

    /** @param parentRunId the MLflow parent run, or null */
    public static Map<String, Object> run(TrialSpec spec, String parentRunId) throws Exception {
        Path runDir = spec.runDir();
        if (Files.isRegularFile(runDir.resolve(ConfigRenderer.CONFIG_FILE))) {
            return again(runDir, parentRunId);
        }
        ComposedConfig composed;
        try {
            ConfigComposer composer = new ConfigComposer(SearchPath.of(spec.configs()));
            composed = composer.compose(spec.primary(), spec.overrides());
            RunPreflight.check(composed);
        } catch (RuntimeException e) {
            // the config itself is wrong: nothing trained, and summary.json says why
            Map<String, Object> failed = new LinkedHashMap<>();
            failed.put("name", spec.name());
            failed.put("status", "FAILED");
            failed.put("error", ErrorMessages.describe(e));
            Files.createDirectories(runDir);
            RunFilesListener.writeAtomically(runDir.resolve(RunFilesListener.SUMMARY), JSON.writeValueAsBytes(failed));
            throw e;
        }
        ConfigRenderer.save(runDir, composed);
        return RunLauncher.trainAndReport(composed, runDir, parentRunId);
    }

    private static Map<String, Object> again(Path runDir, String parentRunId) throws Exception {
        ComposedConfig saved = SavedConfig.load(runDir);
        Map<String, Object> summary = summary(runDir);
        if ("FINISHED".equals(summary.get("status"))) {
            System.out.println("run directory: " + runDir + " already finished");
            return summary;
        }
        if (Checkpoint.latest(runDir).isPresent()) {
            return RunLauncher.resumeAndReport(saved, ResumePoint.prepare(runDir, saved.cfg()));
        }
        return RunLauncher.restartAndReport(saved, runDir, parentRunId);
    }

    /** The run directory's {@code summary.json}, or an empty map when there is none (yet). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> summary(Path runDir) throws IOException {
        Path file = runDir.resolve(RunFilesListener.SUMMARY);
        return Files.isRegularFile(file) ? JSON.readValue(file.toFile(), LinkedHashMap.class) : Map.of();
    }
}
