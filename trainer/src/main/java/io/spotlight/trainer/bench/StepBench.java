package io.spotlight.trainer.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.util.Pair;
import io.spotlight.cam.model.CamModel;
import io.spotlight.cam.model.MultiHeadBlock;
import io.spotlight.losses.Amortisation;
import io.spotlight.losses.Annotations;
import io.spotlight.losses.GuidedLoss;
import io.spotlight.losses.PenaltyTerm;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Baseline (cross-entropy) and guided steps on one model in the same process, alternating, on
 * random data made before timing (no data loading, no tracking on the path). Each step is timed in
 * three parts: forward + loss (including the CAM pass), backward, optimizer. What the loss makes of
 * a batch's masks alone ({@link GuidedLoss#prepare}), the trainer makes on its batch loader's
 * thread, as it assembles the batch: here it is made before the step's timer starts, and timed
 * apart ({@link Timing#prepareMs}), not counted in the step.
 */
final class StepBench implements AutoCloseable {
    private final NDManager manager;
    private final MultiHeadBlock block;
    private final CamModel model;
    private final GuidedLoss baseline;
    private final GuidedLoss guided;
    private final ParameterStore ps;
    private final Optimizer adam = Optimizer.adam().build();
    private final NDArray x;
    private final Map<String, NDArray> labels = new HashMap<>();
    private final Map<String, NDArray> allowed = new HashMap<>();
    private final Map<String, NDArray> hasMask = new HashMap<>();

    /**
     * Median milliseconds of the three parts of a step, and of the preparation of its batch's
     * annotations, which the trainer makes on its loader's thread (not part of {@link #totalMs}).
     */
    record Timing(double forwardMs, double backwardMs, double optimizerMs, double prepareMs) {
        double totalMs() {
            return forwardMs + backwardMs + optimizerMs;
        }
    }

    /** The parts timed: forward + loss, backward, optimizer, and the batch's preparation. */
    private static final int PARTS = 4;
    private final Amortisation amortisation;
    /** Minor page faults of this process per step (both sides) over the last {@link #measure}'s timed steps. */
    private double faultsPerStep = Double.NaN;
    /** Guided steps taken so far: the global step that the amortisation's schedule counts. */
    private long guidedSteps;

    /**
     * @param term the guided variant's reason term (built by {@link BenchCommand.Variant#term})
     * @param device where the parameters, the batch and so every array of a step live
     */
    StepBench(MultiHeadBlock block, Shape input, PenaltyTerm term, Amortisation amortisation, ai.djl.Device device) {
        this.manager = NDManager.newBaseManager(device, "PyTorch");
        this.amortisation = amortisation;
        this.block = block;
        Engine.getEngine("PyTorch").setRandomSeed(1);
        block.initialize(manager, DataType.FLOAT32, input);
        this.model = CamModel.of(block);
        this.ps = new ParameterStore(manager, false);
        this.baseline = new GuidedLoss(model, List.of(), false);
        this.guided = new GuidedLoss(model, List.of(term), false, amortisation);
        long b = input.get(0);
        this.x = manager.randomUniform(0, 1, input);
        // a 4x4 forbidden patch in the top-left corner of every image, like the decoy data set
        NDArray mask = manager.ones(new Shape(b, 1, input.get(2), input.get(3)));
        mask.set(new ai.djl.ndarray.index.NDIndex(":, :, 0:4, 0:4"), 0);
        for (String head : model.headNames()) {
            labels.put(head, manager.randomInteger(0, 10, new Shape(b), DataType.INT64));
            allowed.put(head, mask);
            hasMask.put(head, manager.ones(new Shape(b)));
        }
    }

    /**
     * Alternates baseline and guided steps; returns their median timings after {@code warmup}
     * steps. With guidance every k-th step, the unit is a round of k steps of each (one guided
     * step and k - 1 plain ones on the guided side), timed as the mean step of the round: a median
     * of single steps would only ever see the plain ones.
     */
    Timing[] measure(int warmup, int steps) {
        int k = amortisation.every();
        int warmupRounds = (warmup + k - 1) / k;
        int rounds = Math.max(1, (steps + k - 1) / k);
        List<double[]> base = new ArrayList<>();
        List<double[]> guide = new ArrayList<>();
        long faultsBefore = 0;
        for (int i = 0; i < warmupRounds + rounds; i++) {
            if (i == warmupRounds) {
                faultsBefore = minorFaults();
            }
            double[] b = new double[PARTS];
            double[] g = new double[PARTS];
            for (int j = 0; j < k; j++) {
                addMean(b, step(baseline), k);
                addMean(g, guidedStep(), k);
            }
            if (i >= warmupRounds) {
                base.add(b);
                guide.add(g);
            }
        }
        faultsPerStep = (minorFaults() - faultsBefore) / (2.0 * rounds * k);
        return new Timing[] {median(base), median(guide)};
    }

    /**
     * Minor page faults per step over the last {@link #measure}: a few dozen when the native heap
     * keeps its pages, thousands when glibc's malloc gives each step's tensors back to the kernel
     * (the launcher's MALLOC_* settings; RESULTS.md session 7).
     */
    double faultsPerStep() {
        return faultsPerStep;
    }

    /** This process's minor page faults so far (all threads): field 10 of /proc/self/stat. */
    static long minorFaults() {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"));
            // the command name (field 2) may hold spaces: count fields after its closing parenthesis
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[10 - 3]);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Whether the guided loss reuses the cross-entropy's gradient (see GuidedLoss). */
    boolean guidedTakesFastPath() {
        return guided.reusesCrossEntropyGradient();
    }

    /** One guided step (the next of the amortisation's schedule): {forward+loss, backward, optimizer, prepare} in ms. */
    double[] guidedStep() {
        double[] t = step(guided, guidedSteps);
        guidedSteps++;
        return t;
    }

    private static void addMean(double[] sum, double[] step, int k) {
        for (int part = 0; part < PARTS; part++) {
            sum[part] += step[part] / k;
        }
    }

    private double[] step(GuidedLoss loss) {
        return step(loss, 0);
    }

    /** One step of {@code loss} at global step {@code globalStep}: {forward+loss, backward, optimizer, prepare} in ms. */
    private double[] step(GuidedLoss loss, long globalStep) {
        double[] t = new double[PARTS];
        try (NDManager scope = manager.newSubManager()) {
            // every array a step makes is attached to its inputs' manager: give the step copies in
            // its own scope, as the trainer's batches are, so nothing outlives the step
            NDArray input = inScope(x, scope);
            Map<String, NDArray> y = new HashMap<>();
            Map<String, NDArray> a = new HashMap<>();
            Map<String, NDArray> h = new HashMap<>();
            for (String head : model.headNames()) {
                y.put(head, inScope(labels.get(head), scope));
                a.put(head, inScope(allowed.get(head), scope));
                h.put(head, inScope(hasMask.get(head), scope));
            }
            Annotations annotations = Annotations.of(a, h);
            long tp = System.nanoTime();
            loss.prepare(annotations); // the loader thread's part (see the class comment)
            long t0 = System.nanoTime();
            t[3] = (t0 - tp) / 1e6;
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                GuidedLoss.Result r = loss.evaluate(ps, input, y, annotations, true, globalStep);
                r.total().toType(DataType.FLOAT64, false).getDouble(); // synchronise, as the trainer's NaN check does
                long t1 = System.nanoTime();
                r.backward(gc);
                long t2 = System.nanoTime();
                t[0] = (t1 - t0) / 1e6;
                t[1] = (t2 - t1) / 1e6;
            }
        }
        long t3 = System.nanoTime();
        for (Pair<String, Parameter> p : block.getParameters()) {
            NDArray w = p.getValue().getArray();
            if (!p.getValue().requiresGradient()) {
                continue; // BatchNorm running statistics
            }
            NDArray g = w.getGradient();
            adam.update(p.getKey(), w, g);
            g.subi(g);
        }
        t[2] = (System.nanoTime() - t3) / 1e6;
        return t;
    }

    private static NDArray inScope(NDArray a, NDManager scope) {
        NDArray copy = a.duplicate();
        copy.attach(scope);
        return copy;
    }

    /** Resident set size of this process in MB. */
    static double rssMb() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return Double.NaN;
    }

    private static Timing median(List<double[]> runs) {
        double[] m = new double[PARTS];
        for (int k = 0; k < PARTS; k++) {
            int part = k;
            double[] v = runs.stream().mapToDouble(r -> r[part]).toArray();
            Arrays.sort(v);
            m[k] = v[v.length / 2];
        }
        return new Timing(m[0], m[1], m[2], m[3]);
    }

    @Override
    public void close() {
        manager.close();
    }
}
