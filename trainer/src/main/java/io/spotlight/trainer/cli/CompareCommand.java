package io.spotlight.trainer.cli;

import io.spotlight.trainer.compare.Comparison;
import io.spotlight.trainer.launch.Launcher;
import io.spotlight.trainer.launch.Launches;
import io.spotlight.trainer.config.ConfigComposer;
import io.spotlight.trainer.config.RunDirectories;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./spotlight compare EXPERIMENT [key=value ...]}. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Train an experiment's variants (baseline, guided, clean reference) and compare them.")
public final class CompareCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "experiment folder (with experiment.conf) or its config file")
    Path experiment;

    @Parameters(index = "1..*", arity = "0..*", description = "overrides applied to every variant")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--variants", split = ",", description = "run only these variants")
    List<String> only = new ArrayList<>();

    @Option(names = "--no-wait", description = "with launcher=slurm: submit the variants and return; ./spotlight collect DIR gathers them")
    boolean noWait;

    @Override
    public Integer call() throws Exception {
        Path home = Home.get();
        ExperimentPath e = ExperimentPath.of(experiment);
        Path primary = e.primary();
        ConfigComposer composer = e.composer();
        Comparison comparison = new Comparison(composer, primary, overrides);
        comparison.check(only); // config mistakes fail here, before an output directory exists
        Launcher launcher = Launches.of(composer.compose(primary, overrides).cfg());
        String name = e.name();
        Path out = RunDirectories.createUnique(home.resolve("outputs").resolve("compare")
                .resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd/HH-mm-ss"))  + "_" + name));
        return comparison.launch(out, only, launcher, !noWait);
    }
}
