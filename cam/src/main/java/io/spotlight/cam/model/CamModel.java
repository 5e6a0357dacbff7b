package io.spotlight.cam.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import io.spotlight.cam.CamException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A DJL model seen by the CAM code: its named output heads and a forward pass that keeps the
 * activations of chosen layers, without rewriting the model.
 *
 * <p>The forward opens {@link SequentialBlock}s and {@link MultiHeadBlock}s to reach a layer and
 * runs every other block whole, so any layer of a sequential architecture (including DJL's ResNet,
 * whose residual units are {@code ParallelBlock}s: tap the unit) can be a target. When the trunk's
 * output of a {@link MultiHeadBlock} is a target, each head reads its own view of it, so that one
 * autograd call separates the heads' gradients (see {@link io.spotlight.cam.CamComputer}).
 */
public final class CamModel {
    private final Block block;
    private final List<String> headNames;
    private final Map<String, LayerPath> resolved = new java.util.concurrent.ConcurrentHashMap<>();

    private CamModel(Block block, List<String> headNames) {
        this.block = block;
        this.headNames = List.copyOf(headNames);
    }

    /** A {@link MultiHeadBlock} keeps its head names; any other block has one head, {@code out}. */
    public static CamModel of(Block block) {
        if (block instanceof MultiHeadBlock) {
            return new CamModel(block, ((MultiHeadBlock) block).getHeadNames());
        }
        return new CamModel(block, List.of("out"));
    }

    /** A block whose forward returns one array per head, named in output order. */
    public static CamModel of(Block block, List<String> headNames) {
        if (block instanceof MultiHeadBlock
                && !((MultiHeadBlock) block).getHeadNames().equals(headNames)) {
            throw new CamException(
                    "head names "
                            + headNames
                            + " differ from the MultiHeadBlock's "
                            + ((MultiHeadBlock) block).getHeadNames());
        }
        return new CamModel(block, headNames);
    }

    public Block block() {
        return block;
    }

    public List<String> headNames() {
        return headNames;
    }

    public int headIndex(String head) {
        int i = headNames.indexOf(head);
        if (i < 0) {
            throw new CamException("head '" + head + "' not found; the model's heads are " + headNames);
        }
        return i;
    }

    /** The head's own block, or null when the model is not a {@link MultiHeadBlock}. */
    public Block headBlock(int head) {
        if (block instanceof MultiHeadBlock) {
            return ((MultiHeadBlock) block).getHeads().get(headNames.get(head));
        }
        return null;
    }

    /** Resolves a layer name (cached: a training step asks for the same layers every time). */
    public LayerPath layer(String name) {
        return resolved.computeIfAbsent(name, n -> LayerPath.resolve(block, n));
    }

    /** Index of the head whose block contains {@code layer}, or -1 for a layer all heads share. */
    public int owningHead(LayerPath layer) {
        if (block instanceof MultiHeadBlock && !layer.indices().isEmpty() && layer.indices().get(0) > 0) {
            return layer.indices().get(0) - 1;
        }
        return -1;
    }

    /** Runs the model on {@code input}, keeping the output of every layer in {@code layers}. */
    public Taps forward(
            ParameterStore ps, NDArray input, boolean training, Collection<LayerPath> layers) {
        for (LayerPath layer : layers) {
            if (layer.indices().isEmpty()) {
                throw new CamException("target layer '" + layer + "' is the whole model; name a layer inside it");
            }
        }
        return forward(new Walker(ps, training, layers, null), input);
    }

    /**
     * {@link #forward} with the graph cut at {@code layer}: the layer's output is kept (in the
     * graph of the layers before it), and the layers after it read a detached copy that is a leaf
     * of its own, one per head ({@link Taps#leaf}). A backward from the heads' outputs then stops at
     * the leaves, whose gradients are the heads' gradients with respect to the layer, and does not
     * free the graph before the layer: DJL's one native backward instead of a separate
     * {@code autograd.grad} (see {@code ReusedCrossEntropyGradient}).
     */
    public Taps forwardCut(ParameterStore ps, NDArray input, boolean training, LayerPath layer) {
        if (layer.indices().isEmpty()) {
            throw new CamException("target layer '" + layer + "' is the whole model; name a layer inside it");
        }
        return forward(new Walker(ps, training, List.of(layer), layer), input);
    }

    private Taps forward(Walker walker, NDArray input) {
        NDList out = walker.run(block, List.of(), new NDList(input));
        if (out.size() != headNames.size()) {
            throw new CamException(
                    "the model returned "
                            + out.size()
                            + " outputs but has heads "
                            + headNames
                            + "; name one head per output");
        }
        return new Taps(this, new ArrayList<>(out), walker.shared, walker.perHead, walker.leaves);
    }

    /**
     * Runs the model (no taps) with {@code layer}'s output replaced by {@code edit} of it, e.g. a
     * channel set to zero (Ablation-CAM); the head outputs.
     */
    public NDList forwardEdited(ParameterStore ps, NDArray input, boolean training, LayerPath layer,
            java.util.function.UnaryOperator<NDArray> edit) {
        Walker walker = new Walker(ps, training, List.of(layer), null);
        walker.edits.put(layer.indices(), edit);
        return walker.run(block, List.of(), new NDList(input));
    }

    /** Runs blocks whole unless a target layer lies inside them. */
    private final class Walker {
        final ParameterStore ps;
        final boolean training;
        final Collection<LayerPath> taps;
        final Map<LayerPath, NDArray> shared = new HashMap<>();
        final Map<LayerPath, Map<Integer, NDArray>> perHead = new HashMap<>();
        final Map<List<Integer>, java.util.function.UnaryOperator<NDArray>> edits = new HashMap<>();
        /** Where the graph is cut ({@link #forwardCut}), or null. */
        final LayerPath cut;
        /** The leaves the layers after the cut read, by head (0 when the cut is not the trunk output). */
        final Map<Integer, NDArray> leaves = new HashMap<>();

        Walker(ParameterStore ps, boolean training, Collection<LayerPath> taps, LayerPath cut) {
            this.ps = ps;
            this.training = training;
            this.taps = taps;
            this.cut = cut;
        }

        NDList run(Block current, List<Integer> at, NDList input) {
            boolean opens = taps.stream().anyMatch(t -> isInside(t.indices(), at));
            NDList out;
            if (!opens) {
                out = current.forward(ps, input, training, null);
            } else if (current instanceof SequentialBlock) {
                out = input;
                List<Block> children = current.getChildren().values();
                for (int i = 0; i < children.size(); i++) {
                    out = run(children.get(i), append(at, i), out);
                }
            } else if (current instanceof MultiHeadBlock && at.isEmpty()) {
                out = runHeads((MultiHeadBlock) current, input);
            } else {
                throw new CamException(
                        "cannot take a map inside "
                                + current.getClass().getSimpleName()
                                + " at '"
                                + at
                                + "': Spotlight opens SequentialBlocks and MultiHeadBlocks only;"
                                + " target the block itself or a layer of a SequentialBlock");
            }
            java.util.function.UnaryOperator<NDArray> edit = edits.get(at);
            if (edit != null) {
                out = new NDList(edit.apply(out.singletonOrThrow()));
            }
            for (LayerPath tap : taps) {
                if (tap.indices().equals(at)) {
                    shared.put(tap, out.singletonOrThrow());
                }
            }
            if (cut != null && cut.indices().equals(at)) {
                NDArray leaf = leaf(out.singletonOrThrow());
                leaves.put(0, leaf);
                return new NDList(leaf);
            }
            return out;
        }

        private static NDArray leaf(NDArray a) {
            NDArray leaf = a.stopGradient();
            leaf.setRequiresGradient(true);
            return leaf;
        }

        private NDList runHeads(MultiHeadBlock model, NDList input) {
            NDList features = run(model.getTrunk(), List.of(0), input);
            NDArray f = features.singletonOrThrow();
            List<LayerPath> trunkOutputTaps = new ArrayList<>();
            for (Map.Entry<LayerPath, NDArray> e : shared.entrySet()) {
                if (e.getValue() == f) {
                    trunkOutputTaps.add(e.getKey());
                }
            }
            List<Block> heads = new ArrayList<>(model.getHeads().values());
            NDList outputs = new NDList(heads.size());
            for (int h = 0; h < heads.size(); h++) {
                NDArray headInput = f;
                if (h > 0 && leaves.get(0) == f) {
                    // the graph is cut at the trunk output: each head reads a leaf of its own
                    headInput = leaf(f);
                    leaves.put(h, headInput);
                } else if (!trunkOutputTaps.isEmpty() && heads.size() > 1) {
                    // A distinct autograd node per head: d(sum of all heads' scores)/d(view_h)
                    // is then head h's own gradient, so one backward pass serves every head (a
                    // lone head's gradient is the trunk output's own: no view, one op less a step).
                    headInput = f.reshape(f.getShape());
                    for (LayerPath tap : trunkOutputTaps) {
                        perHead.computeIfAbsent(tap, k -> new HashMap<>()).put(h, headInput);
                    }
                }
                outputs.add(run(heads.get(h), List.of(h + 1), new NDList(headInput)).singletonOrThrow());
            }
            return outputs;
        }
    }

    private static boolean isInside(List<Integer> tap, List<Integer> at) {
        return tap.size() > at.size() && tap.subList(0, at.size()).equals(at);
    }

    private static List<Integer> append(List<Integer> at, int i) {
        List<Integer> next = new ArrayList<>(at);
        next.add(i);
        return next;
    }
}
