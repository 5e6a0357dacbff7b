package io.spotlight.trainer.optim;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * A training checkpoint: one directory {@code checkpoints/epoch-NNNN/} (after epoch NNNN), or
 * {@code checkpoints/epoch-NNNN-step-SSSSSSS/} (inside the next epoch, at global step S: written
 * when a run is preempted, see {@code Preemption}) holding
 * {@code model.params} (DJL's {@code Block.saveParameters}), {@code optimizer.bin}
 * ({@link StatefulOptimizer#save}) and {@code state.json} ({@link CheckpointState} plus each
 * file's size and CRC-32).
 *
 * <p>Writing is atomic: everything goes to a hidden temporary directory beside it, each file is
 * forced to disk, {@code state.json} last, and the directory is then renamed into place in one
 * step. A crash or a full disk before the rename leaves only a hidden directory, which
 * {@link #latest} never picks; the checksums catch a checkpoint whose files were damaged after the
 * fact. {@code checkpoints/latest} names the newest one for people and scripts; {@link #latest}
 * itself does not trust it and looks at the directories.
 */
public final class Checkpoint {
    public static final String DIR = "checkpoints";
    public static final String MODEL = "model.params";
    public static final String OPTIMIZER = "optimizer.bin";
    public static final String STATE = "state.json";
    public static final String LATEST = "latest";
    private static final int FORMAT = 1;
    private static final Pattern NAME = Pattern.compile("epoch-\\d{4,}(-step-\\d{7,})?");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Checkpoint() {}

    /** What {@code state.json} holds. */
    record Manifest(int format, CheckpointState state, Map<String, FileSum> files) {}

    /** A file's length and CRC-32. */
    record FileSum(long bytes, long crc32) {
        static FileSum of(byte[] data) {
            CRC32 crc = new CRC32();
            crc.update(data);
            return new FileSum(data.length, crc.getValue());
        }
    }

    /** The directory name of an epoch's checkpoint: {@code epoch-0003}. */
    public static String name(int epoch) {
        return String.format("epoch-%04d", epoch);
    }

    /** The directory name of a checkpoint: {@code epoch-0003}, or {@code epoch-0003-step-0000171} inside epoch 4. */
    public static String name(CheckpointState state) {
        return state.midEpoch() ? String.format("%s-step-%07d", name(state.epoch()), state.globalStep()) : name(state.epoch());
    }

    /** {@link #save(Path, Block, StatefulOptimizer, CheckpointState, CheckpointWriter)} on the real file system. */
    public static Path save(Path runDir, Block block, StatefulOptimizer optimizer, CheckpointState state) throws IOException {
        return save(runDir, block, optimizer, state, CheckpointWriter.files());
    }

    /**
     * Writes {@code runDir/checkpoints/}{@link #name(CheckpointState)} atomically and points
     * {@code checkpoints/latest} at it; an end-of-epoch checkpoint then removes the in-epoch ones
     * it supersedes. On failure the previous checkpoints are untouched
     * and the temporary directory is removed if the writer still can.
     *
     * @return the checkpoint directory
     */
    public static Path save(Path runDir, Block block, StatefulOptimizer optimizer, CheckpointState state,
            CheckpointWriter writer) throws IOException {
        // serialise before touching the disk: a failure here leaves nothing behind
        ByteArrayOutputStream model = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(model)) {
            block.saveParameters(out);
        }
        ByteArrayOutputStream opt = new ByteArrayOutputStream();
        optimizer.save(opt, block);
        Map<String, FileSum> sums = new LinkedHashMap<>();
        sums.put(MODEL, FileSum.of(model.toByteArray()));
        sums.put(OPTIMIZER, FileSum.of(opt.toByteArray()));
        byte[] json = JSON.writeValueAsBytes(new Manifest(FORMAT, state, sums));

        Path dir = runDir.resolve(DIR);
        String name = name(state);
        Path target = dir.resolve(name);
        Path tmp = dir.resolve("." + name + ".tmp-" + System.nanoTime());
        Path old = null;
        writer.createDirectories(dir);
        try {
            writer.createDirectories(tmp);
            writer.write(tmp.resolve(MODEL), model.toByteArray());
            writer.write(tmp.resolve(OPTIMIZER), opt.toByteArray());
            writer.write(tmp.resolve(STATE), json); // last: its presence says the rest is there
            writer.syncDirectory(tmp);
            if (Files.exists(target)) {
                // the same epoch again (a resumed run): move the old one aside, never delete first
                old = dir.resolve("." + name + ".old-" + System.nanoTime());
                writer.moveAtomically(target, old);
            }
            writer.moveAtomically(tmp, target);
            writer.syncDirectory(dir);
        } catch (IOException | RuntimeException e) {
            try {
                if (old != null && !Files.exists(target)) {
                    writer.moveAtomically(old, target); // put the previous one back
                }
                writer.deleteRecursively(tmp);
            } catch (IOException | RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        Path pointerTmp = dir.resolve("." + LATEST + ".tmp-" + System.nanoTime());
        try {
            writer.write(pointerTmp, (name + "\n").getBytes(StandardCharsets.UTF_8));
            writer.moveAtomically(pointerTmp, dir.resolve(LATEST));
        } catch (IOException | RuntimeException e) {
            // the checkpoint itself is complete; only the pointer for people is stale: no half file stays
            try {
                writer.deleteRecursively(pointerTmp);
            } catch (IOException | RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        if (old != null) {
            writer.deleteRecursively(old);
        }
        if (!state.midEpoch()) {
            removeSupersededInEpoch(dir, state.globalStep(), writer);
        }
        return target;
    }

    /**
     * The newest complete checkpoint of a run (highest global step, then epoch): a directory
     * {@code checkpoints/epoch-NNNN} whose {@code state.json} reads and whose files match their
     * sizes and checksums. Hidden (temporary) directories and damaged checkpoints are skipped.
     */
    public static Optional<Path> latest(Path runDir) throws IOException {
        Path dir = runDir.resolve(DIR);
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        Path best = null;
        CheckpointState bestState = null;
        try (Stream<Path> children = Files.list(dir)) {
            for (Path p : (Iterable<Path>) children.sorted(Comparator.naturalOrder())::iterator) {
                if (!Files.isDirectory(p) || !NAME.matcher(p.getFileName().toString()).matches()) {
                    continue;
                }
                CheckpointState s;
                try {
                    s = verify(p).state();
                } catch (IOException e) {
                    continue; // incomplete or damaged: not a candidate
                }
                if (bestState == null || s.globalStep() > bestState.globalStep()
                        || (s.globalStep() == bestState.globalStep() && s.epoch() > bestState.epoch())) {
                    best = p;
                    bestState = s;
                }
            }
        }
        return Optional.ofNullable(best);
    }

    /** In-epoch checkpoints at or before {@code step}: a newer end-of-epoch checkpoint is durable, they are not needed. */
    private static void removeSupersededInEpoch(Path dir, long step, CheckpointWriter writer) throws IOException {
        try (Stream<Path> children = Files.list(dir)) {
            for (Path p : children.toList()) {
                String n = p.getFileName().toString();
                if (n.contains("-step-") && NAME.matcher(n).matches()
                        && Long.parseLong(n.substring(n.lastIndexOf('-') + 1)) <= step) {
                    writer.deleteRecursively(p);
                }
            }
        }
    }

    /** Reads {@code state.json} after checking every file against its size and checksum. */
    public static CheckpointState readState(Path checkpoint) throws IOException {
        return verify(checkpoint).state();
    }

    /**
     * Loads a checkpoint into an initialised {@code block} and a freshly built {@code optimizer}
     * (same kind and options as the saved one). The block's parameter arrays are replaced, so load
     * before the trainer first reads them ({@code Trainer.initialize} keeps loaded parameters).
     *
     * @return the saved {@link CheckpointState}
     * @throws IOException if the checkpoint is incomplete or damaged (nothing is loaded then)
     */
    public static CheckpointState load(Path checkpoint, Block block, StatefulOptimizer optimizer, NDManager manager)
            throws IOException {
        Manifest m = verify(checkpoint);
        try (InputStream in = Files.newInputStream(checkpoint.resolve(MODEL))) {
            loadParameters(block, manager, in);
        }
        try (InputStream in = Files.newInputStream(checkpoint.resolve(OPTIMIZER))) {
            optimizer.restore(in, block, manager);
        }
        return m.state();
    }

    /**
     * {@code Block.loadParameters}, then marks trainable parameters as requiring gradients again
     * (DJL's {@code Parameter.load} replaces the array without that flag, and the next optimizer
     * step would find no gradient).
     */
    public static void loadParameters(Block block, NDManager manager, InputStream stream) throws IOException {
        try {
            block.loadParameters(manager, new DataInputStream(stream));
        } catch (MalformedModelException e) {
            throw new IOException("the checkpoint's parameters do not fit this model: " + e.getMessage(), e);
        }
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().requiresGradient()) {
                p.getValue().getArray().setRequiresGradient(true);
            }
        }
    }

    private static Manifest verify(Path checkpoint) throws IOException {
        Path state = checkpoint.resolve(STATE);
        if (!Files.isRegularFile(state)) {
            throw new IOException(checkpoint + " is incomplete: no " + STATE);
        }
        Manifest m;
        try {
            m = JSON.readValue(state.toFile(), Manifest.class);
        } catch (IOException e) {
            throw new IOException(checkpoint + ": " + STATE + " does not read: " + e.getMessage(), e);
        }
        if (m.format() != FORMAT || m.state() == null || m.files() == null
                || !m.files().keySet().containsAll(java.util.List.of(MODEL, OPTIMIZER))) {
            throw new IOException(checkpoint + ": " + STATE + " is not a format-" + FORMAT + " checkpoint manifest");
        }
        for (Map.Entry<String, FileSum> e : m.files().entrySet()) {
            Path f = checkpoint.resolve(e.getKey());
            if (!Files.isRegularFile(f) || Files.size(f) != e.getValue().bytes()) {
                throw new IOException(checkpoint + ": " + e.getKey() + " is missing or has the wrong size");
            }
            if (!FileSum.of(Files.readAllBytes(f)).equals(e.getValue())) {
                throw new IOException(checkpoint + ": " + e.getKey() + " does not match its checksum");
            }
        }
        return m;
    }
}
