package io.spotlight.trainer.launch;

import io.spotlight.trainer.config.SpotlightConfigError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The SLURM client commands the launcher needs: {@code sbatch} to submit and {@code squeue} to
 * see which array tasks are still pending or running. No {@code sacct}: clusters (and the local
 * one) without accounting do not have it; a task that left the queue is judged by its run
 * directory's {@code summary.json}.
 */
final class SlurmCommands {
    private SlurmCommands() {}

    /** Submits {@code script}; returns the job id. */
    static String sbatch(Path script) throws IOException, InterruptedException {
        Output o = run(List.of("sbatch", "--parsable", script.toString()));
        if (o.code != 0) {
            throw new SpotlightConfigError("sbatch " + script + " failed (exit " + o.code + "): " + o.text.strip());
        }
        String id = o.text.strip();
        id = id.substring(id.lastIndexOf('\n') + 1); // warnings may come first
        int semicolon = id.indexOf(';'); // "JOBID;CLUSTER" on federated clusters
        return semicolon < 0 ? id : id.substring(0, semicolon);
    }

    /**
     * The state of every array task of {@code jobId} still in the queue, by task index ({@code
     * PENDING}, {@code RUNNING}, {@code COMPLETING}, ...); empty once the job has left it.
     */
    static Map<Integer, String> queued(String jobId) throws IOException, InterruptedException {
        Output o = run(List.of("squeue", "-h", "-r", "-j", jobId, "-o", "%K %T"));
        Map<Integer, String> states = new HashMap<>();
        if (o.code != 0) {
            if (o.text.contains("Invalid job id")) {
                return states; // the controller has forgotten the job: it ended a while ago
            }
            throw new IOException("squeue -j " + jobId + " failed (exit " + o.code + "): " + o.text.strip());
        }
        for (String line : o.text.split("\n")) {
            String[] parts = line.strip().split("\\s+");
            if (parts.length == 2 && parts[0].matches("\\d+")) {
                states.put(Integer.parseInt(parts[0]), parts[1]);
            }
        }
        return states;
    }

    private record Output(int code, String text) {}

    private static Output run(List<String> command) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new SpotlightConfigError(command.get(0) + " is not available (" + e.getMessage() + "): launcher=slurm needs"
                    + " SLURM's client commands on PATH; scripts/local-slurm.sh start makes a one-node SLURM on this machine", e);
        }
        byte[] out = p.getInputStream().readAllBytes();
        return new Output(p.waitFor(), new String(out, StandardCharsets.UTF_8));
    }
}
