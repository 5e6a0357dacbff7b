package io.spotlight.trainer.launch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The batch script of a launch: one array task per trial, each starting one JVM that runs {@code
 * spotlight trial DIR INDEX}. Like submitit's: {@code --signal=B:USR1@grace} and {@code
 * --requeue}; on USR1 (the time limit is near, or the job is being preempted) the script requeues
 * its own task, SLURM stops the JVM, and the requeued task continues the trial from its run
 * directory. Every attempt appends to one log per trial, {@code slurm/INDEX.log}.
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
        s.add(String.join(" ", cmd) + " &");
        s.add("pid=$!");
        // the batch shell gets USR1 (B:); bash runs the trap once wait returns, the JVM keeps training
        // until the requeue stops it: its newest checkpoint is what the requeued task resumes from
        s.add("requeue() {");
        s.add("  echo \"spotlight: USR1 at $(date -Is) (time limit or preemption): requeueing"
                + " ${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}\"");
        s.add("  scontrol requeue \"${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}\"");
        s.add("}");
        s.add("trap requeue USR1");
        s.add("while :; do wait \"$pid\"; rc=$?; kill -0 \"$pid\" 2>/dev/null || break; done");
        s.add("echo \"spotlight: trial $SLURM_ARRAY_TASK_ID ended with exit code $rc at $(date -Is)\"");
        s.add("exit $rc");
        return String.join("\n", s) + "\n";
    }

    /** Single-quoted for bash. */
    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
