package io.spotlight.trainer.suite;

import io.spotlight.trainer.launch.LaunchPlan;
import io.spotlight.trainer.launch.LaunchReport;
import io.spotlight.trainer.launch.TrialOutcome;
import io.spotlight.trainer.tracking.Tracker;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The result of a suite's launch, after waiting or in {@code ./spotlight collect}: {@code
 * suite.json} and {@code suite.md} from every trial's run directory (also those that finished
 * before this launch, which are not in its plan), artifacts of the parent run, the table printed,
 * failed trials listed with their logs, and suite.json's path as the last line.
 */
public final class SuiteResult implements LaunchReport {
    @Override
    public int report(LaunchPlan plan, List<TrialOutcome> outcomes, Tracker parent) throws Exception {
        Path dir = plan.dir();
        Map<String, Object> result = Suite.of(plan.context()).write(dir);
        parent.logArtifact(Suite.JSON, dir.resolve(Suite.JSON));
        parent.logArtifact(Suite.MARKDOWN, dir.resolve(Suite.MARKDOWN));
        System.out.println(SuiteReport.markdown(result));
        int failed = TrialOutcome.printFailed("trial ", outcomes);
        if (failed > 0) {
            System.out.println(failed + " of " + outcomes.size() + " trials failed: they are missing from the means (launch the"
                    + " suite again with --out " + dir + " to run only them)");
        }
        parent.runPage().ifPresent(page -> System.out.println(
                "MLflow: " + page + "  (suite run: suite.json and suite.md under Artifacts, one child run per trial)"));
        System.out.println(dir.resolve(Suite.JSON));
        return failed == 0 ? 0 : 1;
    }
}
