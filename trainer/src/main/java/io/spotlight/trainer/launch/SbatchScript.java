package io.spotlight.trainer.launch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The batch script of a launch: one array task per trial, each starting one JVM that runs {@code
 * spotlight trial DIR INDEX}. Like submitit's: {@code --signal=B:USR1@grace} and {@code
 * --requeue}. On USR1 (the time limit is near, or the job is being preempted) the script's trap
 * creates the trial's flag file ({@code slurm/INDEX.preempt}, see {@code run.Preemption}); the
 * JVM writes an in-epoch checkpoint at its next step boundary and exits with 75; the script then
 * requeues its own task, and the requeued task continues the trial from that checkpoint. Should
 * the JVM not stop in time (it is in a long evaluation), a watchdog requeues anyway before the
 * grace period is over: the task then resumes from its newest checkpoint (an epoch's end). Every
 * attempt appends to one log per trial, {@code slurm/INDEX.log}.
 */
final class SbatchScript {
    static final String DIR = "slurm";

    private SbatchScript() {}

    static Path log(Path launchDir, int index) {
        return launchDir.resolve(DIR).resolve(index + ".log");
    }

    /**
     * @param javaCommand the JVM's options up to the main class, each an argument
     */
    static String render(LaunchPlan plan, SlurmOptions o, String jobName, List<String> javaCommand) {
        int n = plan.trials().size();
        List<String> s = new ArrayList<>();
        s.add("#!/bin/bash");
        s.add("#SBATCH --job-name=" + jobName.replaceAll("[^A-Za-z0-9._-]", "_"));
        s.add("#SBATCH --array=0-" + (n - 1) + "%" + Math.min(o.arrayParallelism(), n));
        s.add("#SBATCH --output=" + plan.dir().resolve(DIR) + "/%a.log");
        s.add("#SBATCH --open-mode=append");
        s.add("#SBATCH --nodes=1");
        s.add("#SBATCH --ntasks=1");
        s.add("#SBATCH --cpus-per-task=" + o.cpusPerTask());
        s.add("#SBATCH --mem=" + o.memGb() + "G");
        s.add("#SBATCH --time=" + o.timeMin());
        s.add("#SBATCH --signal=B:USR1@" + o.signalDelayS());
        s.add("#SBATCH --requeue");
        if (o.gpusPerNode() > 0) {
            s.add("#SBATCH --gpus-per-node=" + o.gpusPerNode());
        }
        if (o.partition() != null) {
            s.add("#SBATCH --partition=" + o.partition());
        }
        if (o.account() != null) {
            s.add("#SBATCH --account=" + o.account());
        }
        if (o.qos() != null) {
            s.add("#SBATCH --qos=" + o.qos());
        }
        for (String line : o.additional()) {
            s.add("#SBATCH " + line);
        }
        s.add("");
        s.add("echo \"spotlight: trial $SLURM_ARRAY_TASK_ID of job $SLURM_ARRAY_JOB_ID on $(hostname),"
                + " attempt $(( ${SLURM_RESTART_COUNT:-0} + 1 )), $(date -Is)\"");
        s.addAll(o.setup());
        if (plan.trackingUri() != null) {
            s.add("export MLFLOW_TRACKING_URI=" + quote(plan.trackingUri()));
        }
        List<String> cmd = new ArrayList<>();
        cmd.add("\"${SPOTLIGHT_JAVA:-java}\""); // the node's java unless SPOTLIGHT_JAVA names one
        javaCommand.forEach(a -> cmd.add(quote(a)));
        cmd.add("io.spotlight.trainer.cli.SpotlightCli");
        cmd.add("trial");
        cmd.add(quote(plan.dir().toString()));
        cmd.add("\"$SLURM_ARRAY_TASK_ID\"");
        s.add("flag=" + quote(plan.dir().resolve(DIR).toString()) + "/\"$SLURM_ARRAY_TASK_ID\".preempt");
        s.add("rm -f \"$flag\"");
        s.add("export " + io.spotlight.trainer.run.Preemption.ENV + "=\"$flag\"");
        s.add(String.join(" ", cmd) + " &");
        s.add("pid=$!");
        s.add("task=\"${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}\"");
        // the batch shell gets USR1 (B:); bash runs the trap once wait returns
        s.add("preempt() {");
        s.add("  echo \"spotlight: USR1 at $(date -Is) (time limit or preemption): the trial checkpoints and stops\"");
        s.add("  touch \"$flag\"");
        int watchdog = o.signalDelayS() > 20 ? o.signalDelayS() - 10 : Math.max(1, o.signalDelayS() / 2);
        s.add("  ( sleep " + watchdog + "; kill -0 \"$pid\" 2>/dev/null && echo \"spotlight: the trial did not stop within "
                + watchdog + " s: requeueing $task\" && scontrol requeue \"$task\" ) &");
        s.add("}");
        s.add("trap preempt USR1");
        s.add("while :; do wait \"$pid\"; rc=$?; kill -0 \"$pid\" 2>/dev/null || break; done");
        s.add("echo \"spotlight: trial $SLURM_ARRAY_TASK_ID ended with exit code $rc at $(date -Is)\"");
        s.add("if [ \"$rc\" = " + io.spotlight.trainer.run.Preemption.EXIT_CODE + " ]; then");
        s.add("  echo \"spotlight: checkpointed for the signal; requeueing $task\"");
        s.add("  rm -f \"$flag\"");
        s.add("  scontrol requeue \"$task\"");
        s.add("fi");
        s.add("exit $rc");
        return String.join("\n", s) + "\n";
    }

    /** Single-quoted for bash. */
    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
