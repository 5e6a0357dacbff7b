package io.spotlight.trainer.run;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Saves the model's parameters after every epoch to {@code checkpoints/epoch-NNNN.params},
 * written to a temporary file and renamed, so a crash while writing never leaves a checkpoint
 * that loads wrong; {@code checkpoints/latest} names the newest one.
 */
public final class CheckpointListener extends SpotlightListener {
    public static final String DIR = "checkpoints";

    @Override
    public void onEvaluation(RunContext run, int epoch, long step, Map<String, Double> metrics) {
        if (!run.config().cfg().getBoolean("checkpoint.enabled")) {
            return;
        }
        Path dir = run.runDir().resolve(DIR);
        String name = String.format("epoch-%04d.params", epoch);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            run.built().block().saveParameters(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise the model for checkpoint " + name, e);
        }
        Path file = dir.resolve(name);
        RunFilesListener.writeAtomically(file, bytes.toByteArray());
        RunFilesListener.writeAtomically(dir.resolve("latest"), (name + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
