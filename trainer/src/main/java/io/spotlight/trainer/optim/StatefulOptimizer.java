package io.spotlight.trainer.optim;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.optimizer.Optimizer;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A DJL {@link Optimizer} whose whole state can be saved and restored: per parameter id its
 * update count and its state arrays (moments, momentum buffer), plus the global update counter
 * that DJL's learning-rate trackers and Adam's bias correction read. Saved state is keyed by the
 * parameters' names in the block, since DJL's parameter ids are new UUIDs in every process.
 *
 * <p>DJL's own optimizers keep the same state in private maps; this class keeps it where
 * {@link #save} and {@link #restore} reach it. Update counting is DJL's exactly: a parameter's
 * first update counts {@code beginNumUpdate + 1}, and every update returns the largest count seen
 * so far over all parameters.
 *
 * <p>State arrays are created with {@code weight.zerosLike()} (same device, attached to the
 * weight's manager, so they live as long as the model). Restored arrays live in the manager given
 * to {@link #restore} and follow the weight to its device on first use.
 */
public abstract class StatefulOptimizer extends Optimizer {
    private static final int MAGIC = 0x53504F50; // "SPOP"
    private static final int FORMAT = 1;

    private final int beginNumUpdate;
    private final Map<String, Integer> counts = new ConcurrentHashMap<>();
    private final Map<String, NDArray[]> states = new ConcurrentHashMap<>();
    private int numUpdate;

    protected StatefulOptimizer(Builder<?> builder) {
        super(builder);
        this.beginNumUpdate = builder.beginNumUpdate;
    }

    /** A short name written into the saved state, so Adam's state never loads into SGD. */
    protected abstract String kind();

    /** How many state arrays one parameter has (Adam: mean and variance). */
    protected abstract int slots();

    /** The global update count: the largest per-parameter count (what the trackers are asked with). */
    public int numUpdate() {
        return numUpdate;
    }

    /** Updates done so far, by parameter id (a sorted copy). */
    public Map<String, Integer> updateCounts() {
        return new TreeMap<>(counts);
    }

    /** DJL's {@code Optimizer.updateCount}, on counters this class can save. */
    @Override
    protected int updateCount(String parameterId) {
        int count = counts.merge(parameterId, beginNumUpdate + 1, (old, first) -> old + 1);
        numUpdate = Math.max(numUpdate, count);
        return numUpdate;
    }

    /** The state arrays of a parameter, created as zeros like the weight on its first update. */
    protected NDArray[] state(String parameterId, NDArray weight) {
        NDArray[] s = states.computeIfAbsent(parameterId, k -> {
            NDArray[] fresh = new NDArray[slots()];
            for (int i = 0; i < fresh.length; i++) {
                fresh[i] = weight.zerosLike();
            }
            return fresh;
        });
        Device device = weight.getDevice();
        for (int i = 0; i < s.length; i++) {
            if (!s[i].getDevice().equals(device)) {
                // restored on another device (e.g. CPU, trained on GPU): move the state, never the weight
                NDArray moved = s[i].toDevice(device, true);
                moved.attach(s[i].getManager());
                s[i].close();
                s[i] = moved;
            }
        }
        return s;
    }

    /**
     * The gradient as both DJL kernels prepare it: a copy, times {@code rescaleGrad}, clipped to
     * [-clipGrad, clipGrad] when {@code clipGrad >= 0}, plus {@code weightDecay * weight}. DJL's
     * PyTorch kernel clips only from above (clamp_max), contrary to its Javadoc; this clips both
     * ways as documented.
     */
    protected NDArray preparedGradient(NDArray grad, NDArray weight, NDManager scope) {
        NDArray g = rescaleGrad != 1f ? grad.mul(rescaleGrad) : grad.duplicate();
        g.attach(scope);
        if (clipGrad >= 0) {
            g = g.clip(-clipGrad, clipGrad);
            g.attach(scope);
        }
        float weightDecay = getWeightDecay();
        if (weightDecay != 0f) {
            NDArray decay = weight.mul(weightDecay);
            decay.attach(scope);
            g.addi(decay);
        }
        return g;
    }

    /**
     * Runs an in-place update with autograd off, then zeroes the weight's gradient, as DJL's
     * kernels do (the next backward would otherwise add to this step's gradient).
     */
    protected static void inPlace(NDArray weight, Runnable update) {
        boolean pytorch = weight instanceof PtNDArray;
        // PyTorch refuses in-place ops on a leaf that requires grad while grad mode is on; DJL's
        // kernels use a no-grad guard, and grad mode is per thread, so do the same here.
        boolean gradMode = pytorch && JniUtils.isGradMode();
        if (gradMode) {
            JniUtils.setGradMode(false);
        }
        try {
            update.run();
            if (pytorch) {
                JniUtils.zeroGrad((PtNDArray) weight);
            } else if (weight.hasGradient()) {
                try (NDArray g = weight.getGradient()) {
                    g.subi(g);
                }
            }
        } finally {
            if (gradMode) {
                JniUtils.setGradMode(true);
            }
        }
    }

    /**
     * Writes the update counters and every state array, keyed by the parameters' names in
     * {@code block} (DJL's parameter ids are random UUIDs, new in every process, so they cannot
     * key a saved state). The stream is not closed.
     *
     * @throws IOException if the optimizer has state for a parameter that is not in {@code block}
     */
    public void save(OutputStream stream, Block block) throws IOException {
        Map<String, String> names = new HashMap<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            names.put(p.getValue().getId(), p.getKey());
        }
        DataOutputStream out = new DataOutputStream(stream);
        out.writeInt(MAGIC);
        out.writeInt(FORMAT);
        out.writeUTF(kind());
        out.writeInt(beginNumUpdate);
        out.writeInt(numUpdate);
        Map<String, String> byName = new TreeMap<>(); // name -> id, sorted: same bytes for the same state
        for (String id : counts.keySet()) {
            String name = names.get(id);
            if (name == null) {
                throw new IOException("the optimizer has state for parameter id " + id + ", which is not in the block");
            }
            byName.put(name, id);
        }
        out.writeInt(byName.size());
        for (Map.Entry<String, String> e : byName.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeInt(counts.get(e.getValue()));
            NDArray[] s = states.get(e.getValue());
            out.writeInt(s == null ? 0 : s.length);
            if (s != null) {
                for (NDArray a : s) {
                    byte[] bytes = a.encode();
                    out.writeInt(bytes.length);
                    out.write(bytes);
                }
            }
        }
        out.flush();
    }

    /**
     * Replaces this optimizer's state with one written by {@link #save}, matching parameters by
     * name to {@code block}'s (the model being trained). Arrays are created in {@code manager} (use
     * the trainer's or the model's) and moved to each weight's device on its next update.
     *
     * @throws IOException if the stream is not such a state, is of another optimizer kind, or names
     *     a parameter that {@code block} does not have
     */
    public void restore(InputStream stream, Block block, NDManager manager) throws IOException {
        Map<String, String> ids = new HashMap<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            ids.put(p.getKey(), p.getValue().getId());
        }
        DataInputStream in = new DataInputStream(stream);
        if (in.readInt() != MAGIC) {
            throw new IOException("not a Spotlight optimizer state");
        }
        int format = in.readInt();
        if (format != FORMAT) {
            throw new IOException("optimizer state format " + format + " is not supported (expected " + FORMAT + ")");
        }
        String kind = in.readUTF();
        if (!kind.equals(kind())) {
            throw new IOException("the saved optimizer state is " + kind + ", this optimizer is " + kind());
        }
        int savedBegin = in.readInt();
        if (savedBegin != beginNumUpdate) {
            throw new IOException("saved beginNumUpdate " + savedBegin + " differs from this optimizer's " + beginNumUpdate);
        }
        int savedNumUpdate = in.readInt();
        int n = in.readInt();
        Map<String, Integer> newCounts = new TreeMap<>();
        Map<String, NDArray[]> newStates = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            String name = in.readUTF();
            String id = ids.get(name);
            if (id == null) {
                throw new IOException("the saved optimizer state has parameter " + name + ", which this model does not have");
            }
            newCounts.put(id, in.readInt());
            int slots = in.readInt();
            if (slots != 0 && slots != slots()) {
                throw new IOException("parameter " + id + " has " + slots + " state arrays, " + kind() + " keeps " + slots());
            }
            if (slots > 0) {
                NDArray[] s = new NDArray[slots];
                for (int k = 0; k < slots; k++) {
                    byte[] bytes = new byte[in.readInt()];
                    in.readFully(bytes);
                    s[k] = NDArray.decode(manager, bytes);
                }
                newStates.put(id, s);
            }
        }
        states.values().forEach(s -> {
            for (NDArray a : s) {
                a.close();
            }
        });
        states.clear();
        states.putAll(newStates);
        counts.clear();
        counts.putAll(newCounts);
        numUpdate = savedNumUpdate;
    }

    /**
     * DJL's builder options (weight decay, rescale, clip, begin count) plus a learning-rate tracker.
     * DJL keeps {@code beginNumUpdate} private, so this builder records it too.
     */
    public abstract static class Builder<T extends Builder<T>> extends OptimizerBuilder<T> {
        private int beginNumUpdate;

        @Override
        public T optBeginNumUpdate(int beginNumUpdate) {
            this.beginNumUpdate = beginNumUpdate;
            return super.optBeginNumUpdate(beginNumUpdate);
        }
    }
}
