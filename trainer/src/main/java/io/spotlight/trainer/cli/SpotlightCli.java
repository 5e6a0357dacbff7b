package io.spotlight.trainer.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./spotlight}: attention-guided training with differentiable Grad-CAM. */
@Command(
        name = "spotlight",
        mixinStandardHelpOptions = true,
        version = "spotlight 0.1.0",
        description = "Attention-guided training with differentiable Grad-CAM on DJL.",
        subcommands = {TrainCommand.class, CompareCommand.class, SuiteCommand.class, CollectCommand.class, TrialCommand.class, SyncCommand.class,
            UiCommand.class, io.spotlight.trainer.explain.ExplainCommand.class, io.spotlight.trainer.bench.BenchCommand.class,
            io.spotlight.trainer.view.ViewCommand.class})
public final class SpotlightCli implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * The command line as {@code ./spotlight} runs it: a failure prints {@code error: ...} and exits
     * 1; a run stopped by {@link io.spotlight.trainer.run.Preemption} exits 75 (requeue me).
     */
    public static CommandLine commandLine() {
        return new CommandLine(new SpotlightCli())
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    if (e instanceof io.spotlight.trainer.run.PreemptedException) {
                        // not an error: the batch script requeues on this code, the next attempt resumes
                        cmd.getOut().println("spotlight: " + e.getMessage());
                        cmd.getOut().flush();
                        return io.spotlight.trainer.run.Preemption.EXIT_CODE;
                    }
                    cmd.getErr().println("error: " + io.spotlight.trainer.run.ErrorMessages.describe(e));
                    if (Boolean.getBoolean("spotlight.debug")) {
                        e.printStackTrace(cmd.getErr());
                    }
                    return 1;
                });
    }
}
