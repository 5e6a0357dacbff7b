package io.spotlight.cam.testing;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.util.Pair;
import io.spotlight.cam.CamComputer;
import io.spotlight.cam.CamRequest;
import io.spotlight.cam.CamResult;
import io.spotlight.cam.map.CamMaps;
import io.spotlight.cam.method.CamMethods;
import io.spotlight.cam.model.CamModel;
import io.spotlight.cam.model.MultiHeadBlock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Guided training steps with Adam on random data (two ReLU heads), each step in its own
 * NDManager scope, to watch the process's resident memory. {@link Variant#LEAKY_BACKWARD} is the
 * known leaking pattern (second-order gradients through DJL's backward with create_graph) kept as
 * the positive control of the memory test.
 */
public final class GuidedStepLoop implements AutoCloseable {
    public enum Variant {
        /** Cross-entropy only. */
        BASELINE,
        /** Cross-entropy + Grad-CAM penalty through Spotlight's autograd.grad. */
        GUIDED,
        /** Cross-entropy + input-gradient penalty through DJL's backward(create_graph=true). */
        LEAKY_BACKWARD
    }

    private final NDManager manager = NDManager.newBaseManager("PyTorch");
    private final MultiHeadBlock model;
    private final CamComputer computer;
    private final Optimizer adam = Optimizer.adam().build();
    private final ParameterStore ps = new ParameterStore(manager, false);
    private final Shape input;
    private final Map<String, Integer> updates = new HashMap<>();
    private final Loss ce = Loss.softmaxCrossEntropyLoss();

    public GuidedStepLoop(int batch, int size, int channels) {
        input = new Shape(batch, 1, size, size);
        model = TestModels.init(
                TestModels.multiHead(TestModels.reluTrunk(channels),
                        "a", TestModels.linearHead(10),
                        "b", TestModels.linearHead(10)),
                manager, DataType.FLOAT32, input);
        computer = new CamComputer(CamModel.of(model));
    }

    public void step(Variant variant) {
        try (NDManager scope = manager.newSubManager();
                GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
            NDArray x = scope.randomUniform(0, 1, input);
            NDArray ya = scope.randomInteger(0, 10, new Shape(input.get(0)), DataType.INT64);
            NDArray yb = scope.randomInteger(0, 10, new Shape(input.get(0)), DataType.INT64);
            NDArray loss;
            if (variant == Variant.GUIDED) {
                CamResult r = computer.compute(ps, x, Map.of("a", ya, "b", yb),
                        CamRequest.builder().layer("trunk").method(CamMethods.byName("gradcam")).build());
                loss = ce(r.output("a"), ya).add(ce(r.output("b"), yb));
                for (String head : r.heads()) {
                    NDArray m = CamMaps.normalizeMax(CamMaps.relu(r.map(head, "trunk")));
                    loss = loss.add(m.get(":, :2, :").sum().div(input.get(0)));
                }
            } else {
                if (variant == Variant.LEAKY_BACKWARD) {
                    x.setRequiresGradient(true);
                }
                var out = model.forward(ps, new ai.djl.ndarray.NDList(x), true);
                loss = ce(out.get(0), ya).add(ce(out.get(1), yb));
                if (variant == Variant.LEAKY_BACKWARD) {
                    NDArray s = out.get(0).max(new int[] {1}).sum();
                    JniUtils.backward((PtNDArray) s, (PtNDArray) s.onesLike(), true, true);
                    loss = loss.add(x.getGradient().square().sum());
                }
            }
            gc.backward(loss);
        }
        for (Pair<String, Parameter> p : model.getParameters()) {
            NDArray w = p.getValue().getArray();
            NDArray g = w.getGradient();
            adam.update(p.getKey(), w, g);
            g.subi(g);
        }
    }

    private NDArray ce(NDArray logits, NDArray labels) {
        return ce.evaluate(new ai.djl.ndarray.NDList(labels), new ai.djl.ndarray.NDList(logits));
    }

    /** Resident set size of this process in MB, from /proc/self/status. */
    public static double rssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }

    @Override
    public void close() {
        manager.close();
    }
}
