package io.spotlight.trainer.cli;

import io.spotlight.trainer.config.ConfigComposer;
import io.spotlight.trainer.config.RunDirectories;
import io.spotlight.trainer.launch.Launches;
import io.spotlight.trainer.suite.Suite;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./spotlight suite EXPERIMENT [key=value ...]}: every shortcut kind × variant × seed. */
@Command(name = "suite", mixinStandardHelpOptions = true,
        description = {"Train a suite's variants on every shortcut kind with several seeds; print mean ± sd and the targets.",
            "launcher=slurm runs the trials as one SLURM job array."})
public final class SuiteCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "suite folder (with experiment.conf) or its config file")
    Path experiment;

    @Parameters(index = "1..*", arity = "0..*", description = "overrides applied to every trial")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--kinds", split = ",", description = "run only these shortcut kinds")
    List<String> kinds = new ArrayList<>();

    @Option(names = "--variants", split = ",", description = "run only these variants")
    List<String> variants = new ArrayList<>();

    @Option(names = "--seeds", split = ",", description = "run only these seeds")
    List<Integer> seeds = new ArrayList<>();

    @Option(names = "--out", description = "write into (or continue) this folder; finished trials in it are kept")
    Path out;

    @Option(names = "--no-wait", description = "with launcher=slurm: submit the trials and return; ./spotlight collect DIR gathers them")
    boolean noWait;

    @Override
    public Integer call() throws Exception {
        Path home = Home.get();
        ExperimentPath e = ExperimentPath.of(experiment);
        Path primary = e.primary();
        ConfigComposer composer = e.composer();
        Suite suite = new Suite(composer, primary, overrides, kinds, variants, seeds);
        suite.check(); // config mistakes fail here, before an output directory exists
        String name = e.name();
        Path dir = out != null ? (out.isAbsolute() ? out : home.resolve(out))
                : RunDirectories.createUnique(home.resolve("outputs").resolve("suite")
                        .resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd/HH-mm-ss")) + "_" + name));
        // launcher=local (default) trains here, launcher=slurm submits one job array; the report
        // prints suite.md and, as the last line, suite.json's path
        return suite.launch(dir, Launches.of(composer.compose(primary, overrides).cfg()), !noWait);
    }
}
