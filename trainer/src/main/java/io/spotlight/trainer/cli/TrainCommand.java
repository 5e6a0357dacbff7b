package io.spotlight.trainer.cli;

import io.spotlight.trainer.config.ComposedConfig;
import io.spotlight.trainer.config.ConfigComposer;
import io.spotlight.trainer.config.ConfigRenderer;
import io.spotlight.trainer.config.RunDirectories;
import io.spotlight.trainer.config.SavedConfig;
import io.spotlight.trainer.config.SearchPath;
import io.spotlight.trainer.config.SweepJob;
import io.spotlight.trainer.config.Sweeps;
import io.spotlight.trainer.run.ResumePoint;
import io.spotlight.trainer.run.RunLauncher;
import io.spotlight.trainer.run.RunPreflight;
import io.spotlight.trainer.tracking.RunStatus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./spotlight train CONFIG [key=value ...] [-m key=a,b ...]} or {@code ./spotlight train [CONFIG] resume=RUN_DIR}. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train from a config; key=value overrides, group=option switches; -m sweeps comma lists.",
            "resume=RUN_DIR continues a run from its last checkpoint, with the config saved in RUN_DIR (CONFIG may be left out)."})
public final class TrainCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "primary config, e.g. configs/train.conf (or resume=RUN_DIR)")
    String config;

    @Parameters(index = "1..*", arity = "0..*", description = "overrides: key=value, group=option, +key=value, ~key")
    List<String> overrides = new ArrayList<>();

    @Option(names = {"-m", "--multirun"}, description = "expand comma lists into one run per combination")
    boolean multirun;

    @Option(names = "--print-config", description = "print the resolved config and exit")
    boolean printConfig;

    @Override
    public Integer call() throws Exception {
        Path home = Home.get();
        List<String> all = new ArrayList<>(overrides);
        boolean noPrimary = config.startsWith(ResumeRequest.KEY + "=");
        if (noPrimary) {
            all.add(0, config); // ./spotlight train resume=RUN_DIR: no primary config needed
        }
        Optional<Path> resume = ResumeRequest.find(all, multirun, home);
        if (resume.isPresent()) {
            return resume(resume.get(), noPrimary ? null : config);
        }
        Path primary = Path.of(config).isAbsolute() ? Path.of(config) : home.resolve(config);
        ConfigComposer composer = new ConfigComposer(SearchPath.forPrimary(primary, home.resolve("configs")));
        RunDirectories dirs = new RunDirectories(home);
        if (!multirun) {
            ComposedConfig composed = composer.compose(primary, overrides);
            if (printConfig) {
                System.out.println(composed.render());
                return 0;
            }
            RunPreflight.check(composed);
            Path runDir = dirs.createRunDir(composed.config());
            ConfigRenderer.save(runDir, composed);
            RunLauncher.trainAndReport(composed, runDir, null);
            return 0;
        }
        List<SweepJob> jobs = Sweeps.expand(overrides);
        ComposedConfig first = composer.compose(primary, jobs.get(0).overrides());
        if (printConfig) {
            for (SweepJob job : jobs) {
                System.out.println("# job " + job.dirName());
                System.out.println(composer.compose(primary, job.overrides()).render());
            }
            return 0;
        }
        for (SweepJob job : jobs) {
            RunPreflight.check(composer.compose(primary, job.overrides())); // every job, before any directory
        }
        Path sweepDir = dirs.createSweepDir(first.config());
        System.out.println("multirun: " + jobs.size() + " jobs in " + sweepDir);
        RunLauncher.Parent parent = RunLauncher.startParent(first, sweepDir, "multirun-" + first.cfg().getString("name"));
        int failed = 0;
        for (SweepJob job : jobs) {
            ComposedConfig composed = composer.compose(primary, job.overrides());
            Path runDir = dirs.createJobDir(sweepDir, job);
            ConfigRenderer.save(runDir, composed);
            System.out.println("job " + job.dirName());
            try {
                RunLauncher.trainAndReport(composed, runDir, parent.runId());
            } catch (RuntimeException e) {
                failed++;
                System.err.println("job " + job.dirName() + " failed: " + e.getMessage());
            }
        }
        parent.tracker().finish(failed == 0 ? RunStatus.FINISHED : RunStatus.FAILED);
        parent.tracker().close();
        parent.tracker().runPage().ifPresent(page -> System.out.println("MLflow: " + page + "  (one child run per job)"));
        System.out.println("multirun finished: " + (jobs.size() - failed) + " of " + jobs.size() + " jobs succeeded; results in " + sweepDir);
        return failed == 0 ? 0 : 1;
    }

    /** Continues {@code runDir} with its saved config; a primary config given as well is not read. */
    private int resume(Path runDir, String ignoredConfig) throws Exception {
        ComposedConfig saved = SavedConfig.load(runDir);
        if (printConfig) {
            System.out.println(saved.render());
            return 0;
        }
        if (ignoredConfig != null) {
            System.out.println("resume: " + runDir.resolve(ConfigRenderer.CONFIG_FILE) + " is the config; " + ignoredConfig + " is not read");
        }
        RunLauncher.resumeAndReport(saved, ResumePoint.prepare(runDir, saved.cfg()));
        return 0;
    }
}
