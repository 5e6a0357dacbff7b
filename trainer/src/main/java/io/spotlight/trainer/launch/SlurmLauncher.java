package io.spotlight.trainer.launch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs the trials as one SLURM job array, one JVM per trial, on nodes that share the launch
 * folder with this machine. Prints the job id, waits with a line whenever the counts of pending,
 * running, done and failed trials change, then collects the trials' summaries.
 */
public final class SlurmLauncher implements Launcher {
    static final String JOB_ID_FILE = "job-id";

    private final SlurmOptions options;

    public SlurmLauncher(SlurmOptions options) {
        this.options = options;
    }

    /**
     * Refuses a launch into {@code dir} while the SLURM job launched into it before still has
     * trials queued or running: a suite launched again clears its unfinished run directories,
     * those of the running trials among them. Nothing to check without a job before, or without
     * SLURM's commands on this machine (no job of it can be running here then).
     */
    public static void requireNoJobRunning(Path dir) throws IOException, InterruptedException {
        Path idFile = dir.resolve(SbatchScript.DIR).resolve(JOB_ID_FILE);
        if (!Files.isRegularFile(idFile)) {
            return;
        }
        String jobId = Files.readString(idFile).strip();
        Map<Integer, String> queued;
        try {
            queued = SlurmCommands.queued(jobId);
        } catch (io.spotlight.trainer.config.SpotlightConfigError noSqueue) {
            return;
        }
        if (!queued.isEmpty()) {
            throw new io.spotlight.trainer.config.SpotlightConfigError("SLURM job " + jobId + ", launched into " + dir
                    + " before, still has " + queued.size() + " trials queued or running: wait for it (./spotlight collect "
                    + dir + ") or cancel it (scancel " + jobId + "), then launch again");
        }
    }

    @Override
    public Optional<List<TrialOutcome>> launch(LaunchPlan plan, boolean waitForTrials) throws Exception {
        Path slurmDir = plan.dir().resolve(SbatchScript.DIR);
        if (Files.isRegularFile(slurmDir.resolve(JOB_ID_FILE))) {
            // a folder launched into again (a suite continued): the new array's indexes are other
            // trials, so the logs of the job before go aside instead of being appended to
            String before = Files.readString(slurmDir.resolve(JOB_ID_FILE)).strip();
            Files.move(slurmDir, plan.dir().resolve(SbatchScript.DIR + "-job-" + before));
        }
        Files.createDirectories(slurmDir);
        Path script = slurmDir.resolve("array.sbatch");
        String name = "spotlight-" + plan.kind() + "-" + plan.dir().getFileName();
        Files.writeString(script, SbatchScript.render(plan, options, name, javaCommand(slurmDir)), StandardCharsets.UTF_8);
        String jobId = SlurmCommands.sbatch(script);
        Files.writeString(slurmDir.resolve(JOB_ID_FILE), jobId + "\n", StandardCharsets.UTF_8);
        System.out.println("SLURM job " + jobId + ": " + plan.trials().size() + " trials (array 0-" + (plan.trials().size() - 1)
                + ", at most " + options.arrayParallelism() + " at once); logs in " + slurmDir);
        if (!waitForTrials) {
            System.out.println("not waiting; gather the results later with: ./spotlight collect " + plan.dir());
            return Optional.empty();
        }
        return Optional.of(await(plan));
    }

    @Override
    public List<TrialOutcome> await(LaunchPlan plan) throws Exception {
        Path idFile = plan.dir().resolve(SbatchScript.DIR).resolve(JOB_ID_FILE);
        if (Files.isRegularFile(idFile)) {
            waitForJob(plan, Files.readString(idFile).strip());
        }
        return TrialResults.collect(plan, i -> SbatchScript.log(plan.dir(), i));
    }

    private void waitForJob(LaunchPlan plan, String jobId) throws IOException, InterruptedException {
        String last = "";
        while (true) {
            Map<Integer, String> queued = SlurmCommands.queued(jobId);
            int pending = 0;
            int running = 0;
            int done = 0;
            int failed = 0;
            for (int i = 0; i < plan.trials().size(); i++) {
                String state = queued.get(i);
                if (state == null) {
                    if ("FINISHED".equals(Trial.summary(plan.trials().get(i).runDir()).get("status"))) {
                        done++;
                    } else {
                        failed++;
                    }
                } else if (state.equals("RUNNING") || state.equals("COMPLETING")) {
                    running++;
                } else {
                    pending++; // PENDING, CONFIGURING, REQUEUED, REQUEUE_HOLD, SUSPENDED, ...
                }
            }
            String line = "job " + jobId + ": " + pending + " pending, " + running + " running, " + done + " done, "
                    + failed + " failed";
            if (!line.equals(last)) {
                System.out.println(line);
                last = line;
            }
            if (queued.isEmpty()) {
                return;
            }
            Thread.sleep(options.pollS() * 1000L);
        }
    }

    /**
     * The options of this JVM again on the node, with the classpath and the properties the launcher gave it: the
     * repository and the Maven repository must be on the shared filesystem. {@code java} is taken
     * from the node's PATH ({@code launcher.setup} can load a module), or {@code $SPOTLIGHT_JAVA}.
     */
    private List<String> javaCommand(Path slurmDir) {
        List<String> cmd = new ArrayList<>();
        cmd.add("-Xmx" + Math.max(1, options.memGb() / 2) + "g");
        // SIGTERM (scancel, requeue, preemption) ends the JVM at once, as SIGKILL would: a resume
        // is exact after either, while shutdown hooks racing the native training thread crashed it
        cmd.add("-Xrs");
        cmd.add("-XX:ErrorFile=" + slurmDir.resolve("hs_err_%p.log"));
        cmd.add("-Dai.djl.offline=true");
        cmd.add("-Dai.djl.default_engine=PyTorch");
        cmd.add("-Djava.awt.headless=true");
        cmd.add("-Dspotlight.home=" + io.spotlight.trainer.cli.Home.get());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        return cmd;
    }
}
