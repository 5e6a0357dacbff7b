package io.spotlight.trainer.suite;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.spotlight.trainer.run.RunFilesListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;

/** The run directories of a suite's trials: which are finished, and clearing an unfinished one. */
final class SuiteTrials {
    private SuiteTrials() {}

    /** The trial's summary if it finished (status FINISHED), else null. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> finishedSummary(Path runDir) throws IOException {
        Path summary = runDir.resolve(RunFilesListener.SUMMARY);
        if (!Files.isRegularFile(summary)) {
            return null;
        }
        Map<String, Object> s = new ObjectMapper().readValue(summary.toFile(), Map.class);
        return "FINISHED".equals(String.valueOf(s.get("status"))) ? s : null;
    }

    /** Removes what an interrupted or failed trial left, so it is trained again from the start. */
    static void clear(Path runDir) throws IOException {
        if (!Files.exists(runDir)) {
            return;
        }
        try (var files = Files.walk(runDir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
