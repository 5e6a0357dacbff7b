package io.spotlight.trainer.cli;

import io.spotlight.trainer.compare.Comparison;
import io.spotlight.trainer.compare.ComparisonReport;
import io.spotlight.trainer.config.ConfigComposer;
import io.spotlight.trainer.config.RunDirectories;
import io.spotlight.trainer.config.SearchPath;
import java.nio.file.Files;
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

    @Override
    public Integer call() throws Exception {
        Path home = Home.get();
        Path path = experiment.isAbsolute() ? experiment : home.resolve(experiment);
        Path primary = Files.isDirectory(path) ? path.resolve("experiment.conf") : path;
        ConfigComposer composer = new ConfigComposer(SearchPath.forPrimary(primary, home.resolve("configs")));
        Comparison comparison = new Comparison(composer, primary, overrides);
        comparison.check(only); // config mistakes fail here, before an output directory exists
        String name = primary.getParent().getFileName().toString();
        Path out = RunDirectories.createUnique(home.resolve("outputs").resolve("compare")
                .resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd/HH-mm-ss"))  + "_" + name));
        var result = comparison.run(out, only);
        System.out.println(Files.readString(out.resolve(Comparison.MARKDOWN)));
        for (String check : ComparisonReport.targets(result)) {
            System.out.println(check);
        }
        comparison.mlflowPage().ifPresent(page ->
                System.out.println("MLflow: " + page + "  (comparison run: figure and files under Artifacts, one child run per variant)"));
        System.out.println(out.resolve(Comparison.JSON));
        return 0;
    }
}
