package io.spotlight.trainer.cli;

import io.spotlight.trainer.config.ComposedConfig;
import io.spotlight.trainer.config.ConfigComposer;
import io.spotlight.trainer.config.ConfigRenderer;
import io.spotlight.trainer.config.RunDirectories;
import io.spotlight.trainer.config.SavedConfig;
import io.spotlight.trainer.config.SearchPath;
import io.spotlight.trainer.config.SweepJob;
import io.spotlight.trainer.config.Sweeps;
import io.spotlight.trainer.launch.Launcher;
import io.spotlight.trainer.launch.Launches;
import io.spotlight.trainer.launch.TrialSpec;
import io.spotlight.trainer.run.ResumePoint;
import io.spotlight.trainer.run.RunLauncher;
import io.spotlight.trainer.run.RunPreflight;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

    @Option(names = "--no-wait", description = "with -m and launcher=slurm: submit the sweep and return; ./spotlight collect DIR gathers it")
    boolean noWait;

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
            if (noWait) {
                throw new io.spotlight.trainer.config.SpotlightConfigError("--no-wait is for sweeps (-m) and comparisons;"
                        + " a single run trains here");
            }
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
        Launcher launcher = Launches.of(first.cfg()); // its keys are checked before any directory, too
        Path sweepDir = dirs.createSweepDir(first.config());
        System.out.println("multirun: " + jobs.size() + " jobs in " + sweepDir);
        List<TrialSpec> trials = new ArrayList<>();
        for (SweepJob job : jobs) {
            trials.add(new TrialSpec(job.dirName(), primary, composer.searchPath().dirs(), job.overrides(),
                    dirs.createJobDir(sweepDir, job)));
        }
        Launches.Started launch = Launches.start("multirun", sweepDir, first, "multirun-" + first.cfg().getString("name"),
                trials, Map.of(), launcher);
        return launch.run(!noWait);
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
