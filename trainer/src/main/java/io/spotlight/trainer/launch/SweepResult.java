package io.spotlight.trainer.launch;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.spotlight.trainer.run.RunFilesListener;
import io.spotlight.trainer.tracking.Tracker;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The result of {@code train -m}: {@value #FILE} with each job's overrides, status and final metrics. */
public final class SweepResult implements LaunchReport {
    public static final String FILE = "multirun.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Override
    public int report(LaunchPlan plan, List<TrialOutcome> outcomes, Tracker parent) throws Exception {
        List<Map<String, Object>> jobs = new ArrayList<>();
        int failed = 0;
        for (TrialOutcome o : outcomes) {
            Map<String, Object> job = new LinkedHashMap<>();
            job.put("name", o.spec().name());
            job.put("overrides", o.spec().overrides());
            job.put("run_dir", o.spec().runDir().toString());
            job.put("status", o.status());
            job.put("metrics", o.summary().getOrDefault("metrics", Map.of()));
            if (!o.finished()) {
                failed++;
                job.put("error", o.error());
                job.put("log", o.log() == null ? null : o.log().toString());
                System.out.println("job " + o.describe());
            }
            jobs.add(job);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("jobs", jobs);
        result.put("succeeded", outcomes.size() - failed);
        result.put("failed", failed);
        RunFilesListener.writeAtomically(plan.dir().resolve(FILE), JSON.writeValueAsBytes(result));
        parent.logArtifact(FILE, plan.dir().resolve(FILE));
        System.out.println("multirun finished: " + (outcomes.size() - failed) + " of " + outcomes.size()
                + " jobs succeeded; results in " + plan.dir().resolve(FILE));
        return failed == 0 ? 0 : 1;
    }
}
