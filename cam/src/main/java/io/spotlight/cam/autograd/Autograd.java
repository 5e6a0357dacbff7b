package io.spotlight.cam.autograd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.pytorch.jni.SpotlightJni;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code torch.autograd.grad} for DJL's PyTorch engine.
 *
 * <p>DJL only exposes {@code backward}, which with {@code create_graph=true} accumulates into every
 * parameter's {@code .grad} and leaks through leaf/grad reference cycles (see shared/DESIGN.md).
 * {@code torch.autograd.grad} has neither problem, and TorchScript can call it: this class loads a
 * tiny TorchScript module (written from source at start-up, see {@link TorchScriptArchive}) whose
 * forward does exactly that for several groups of (output, inputs) in one native call.
 */
public final class Autograd {
    private static final String CLASS_NAME = "SpotlightGrad";
    private static volatile PtSymbolBlock module;
    private static final java.util.concurrent.atomic.AtomicLong CALLS = new java.util.concurrent.atomic.AtomicLong();
    private static final ThreadLocal<Boolean> OPTIMIZER_OFF = ThreadLocal.withInitial(() -> false);

    private Autograd() {}

    /**
     * For each group {@code i}, the gradients of the scalar {@code outputs.get(i)} with respect to
     * every array of {@code inputs.get(i)}, in one native call. The graph is always retained, so
     * the caller can still back-propagate through the outputs afterwards.
     *
     * @param createGraph keep a graph of the gradient computation itself, so that the gradients are
     *     differentiable (second order); off for gradients used as constants
     * @return per group, per input: the gradient (zeros where the output does not depend on the
     *     input, which {@link Gradients#used} tells apart)
     */
    public static Gradients grad(
            List<NDArray> outputs, List<List<NDArray>> inputs, boolean createGraph) {
        if (outputs.size() != inputs.size()) {
            throw new IllegalArgumentException(
                    "outputs and input groups differ in number: "
                            + outputs.size()
                            + " vs "
                            + inputs.size());
        }
        CALLS.incrementAndGet();
        PtNDManager manager = (PtNDManager) inputs.get(0).get(0).getManager();
        List<PtNDArray> flat = new ArrayList<>();
        long[] groups = new long[inputs.size()];
        for (int i = 0; i < inputs.size(); i++) {
            groups[i] = inputs.get(i).size();
            for (NDArray x : inputs.get(i)) {
                flat.add((PtNDArray) x);
            }
        }
        PtNDArray[] outs = outputs.stream().map(o -> (PtNDArray) o).toArray(PtNDArray[]::new);
        try (IValue outputList = IValue.listFrom(outs);
                IValue inputList = IValue.listFrom(flat.toArray(new PtNDArray[0]));
                IValue groupList = IValue.listFrom(groups);
                IValue create = IValue.from(createGraph);
                IValue result =
                        SpotlightJni.runMethodWithGrad(
                                module(), "forward", outputList, inputList, groupList, create)) {
            IValue[] tuple = result.toIValueTuple();
            try {
                PtNDArray[] grads = tuple[0].toTensorArray(manager);
                boolean[] used = tuple[1].toBooleanArray();
                List<List<NDArray>> perGroup = new ArrayList<>();
                int k = 0;
                for (long size : groups) {
                    List<NDArray> g = new ArrayList<>();
                    for (int j = 0; j < size; j++) {
                        g.add(grads[k++]);
                    }
                    perGroup.add(g);
                }
                return new Gradients(perGroup, used);
            } finally {
                for (IValue v : tuple) {
                    v.close();
                }
            }
        }
    }

    /**
     * {@code torch.autograd.backward(roots, grads)}: accumulates into the {@code .grad} of every
     * leaf the roots reach, each root weighted by its gradient ({@code ones} for a scalar loss).
     * A root may be a parameter itself: its {@code .grad} then simply receives the given gradient,
     * which is how gradients computed earlier in a step (see {@code GuidedLoss}'s reuse of the
     * cross-entropy gradient) join the ones of the final backward in one native call. The graph is
     * freed, as by DJL's {@code GradientCollector.backward}.
     */
    public static void backward(List<NDArray> roots, List<NDArray> grads) {
        if (roots.size() != grads.size()) {
            throw new IllegalArgumentException("roots and gradients differ in number: " + roots.size() + " vs " + grads.size());
        }
        CALLS.incrementAndGet();
        PtNDArray[] r = roots.stream().map(o -> (PtNDArray) o).toArray(PtNDArray[]::new);
        PtNDArray[] g = grads.stream().map(o -> (PtNDArray) o).toArray(PtNDArray[]::new);
        try (IValue rootList = IValue.listFrom(r);
                IValue gradList = IValue.listFrom(g);
                IValue result = SpotlightJni.runMethodWithGrad(module(), "accumulate", rootList, gradList)) {
            // nothing to read: the gradients are in the leaves' .grad
        }
    }

    /** Convenience: one output, one input. */
    public static NDArray grad(NDArray output, NDArray input, boolean createGraph) {
        return grad(List.of(output), List.of(List.of(input)), createGraph).get(0, 0);
    }

    /** Native autograd calls made so far by this process (tests check that heads share one). */
    public static long calls() {
        return CALLS.get();
    }

    private static PtSymbolBlock module() {
        // TorchScript's graph executor profiles and re-optimises a method over its first calls
        // (about 1 s each here, for ~15 calls); a one-line autograd.grad has nothing to gain from
        // it. The switch is thread-local in PyTorch, so every thread that calls in sets it.
        if (!OPTIMIZER_OFF.get()) {
            JniUtils.setGraphExecutorOptimize(false);
            OPTIMIZER_OFF.set(true);
        }
        PtSymbolBlock m = module;
        if (m == null) {
            synchronized (Autograd.class) {
                m = module;
                if (m == null) {
                    m = load();
                    module = m;
                }
            }
        }
        return m;
    }

    private static PtSymbolBlock load() {
        String source;
        try (InputStream in = Autograd.class.getResourceAsStream("__torch__.py")) {
            if (in == null) {
                throw new IllegalStateException("resource io/spotlight/cam/autograd/__torch__.py is missing");
            }
            source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            byte[] archive = TorchScriptArchive.write(CLASS_NAME, source);
            // The module lives as long as the process: it has no parameters and is shared.
            PtNDManager owner = (PtNDManager) NDManager.newBaseManager("PyTorch");
            PtSymbolBlock block =
                    JniUtils.loadModule(owner, new ByteArrayInputStream(archive), true, false);
            JniUtils.enableTrainingMode(block);
            return block;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build the autograd TorchScript module", e);
        }
    }

    /** Gradients per group and input, plus which inputs the group's output depends on. */
    public static final class Gradients {
        private final List<List<NDArray>> grads;
        private final boolean[] used;

        Gradients(List<List<NDArray>> grads, boolean[] used) {
            this.grads = grads;
            this.used = used;
        }

        public NDArray get(int group, int input) {
            return grads.get(group).get(input);
        }

        public List<NDArray> group(int group) {
            return grads.get(group);
        }

        /** False where output {@code group} does not depend on input {@code input} at all. */
        public boolean used(int group, int input) {
            int k = 0;
            for (int g = 0; g < group; g++) {
                k += grads.get(g).size();
            }
            return used[k + input];
        }
    }
}
