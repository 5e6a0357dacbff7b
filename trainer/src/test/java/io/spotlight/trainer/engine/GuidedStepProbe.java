package io.spotlight.trainer.engine;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import io.spotlight.cam.model.CamModel;
import io.spotlight.losses.GuidedLoss;
import io.spotlight.trainer.config.Cfg;
import io.spotlight.trainer.config.ConfigComposer;
import io.spotlight.trainer.data.Head;
import io.spotlight.trainer.run.GuidanceFactory;
import io.spotlight.trainer.run.ModelFactory;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Run in a JVM of its own (the engine loads one libtorch per process): which libtorch and JNI
 * flavour DJL loaded (from the process's memory map, not from what it was asked for), then guided
 * steps of the small CNN at conv1 (exact second order) with the device of every array each step
 * made. Prints {@code key=value} lines for {@link ExternalLibtorchTest}.
 */
public final class GuidedStepProbe {
    private GuidedStepProbe() {}

    public static void main(String[] args) throws Exception {
        Path repo = Path.of(args[0]);
        Engine engine = Engine.getEngine("PyTorch");
        System.out.println("engine_version=" + engine.getVersion());
        for (String file : Files.readAllLines(Path.of("/proc/self/maps")).stream()
                .map(line -> line.substring(line.lastIndexOf(' ') + 1)).distinct().toList()) {
            if (file.endsWith("/libtorch_cpu.so") || file.endsWith("libdjl_torch.so")) {
                System.out.println((file.endsWith("libdjl_torch.so") ? "jni=" : "libtorch_cpu=") + file);
            }
        }
        Cfg cfg = ConfigComposer.compose(repo.resolve("configs/train.conf"), repo.resolve("configs"),
                List.of("guidance=hirescam-conv1")).cfg();
        List<Head> heads = List.of(new Head("label", List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9")));
        ModelFactory.BuiltModel built = ModelFactory.build(cfg.at("model"), heads);
        Device device = Device.cpu();
        Map<String, Integer> devices = new TreeMap<>();
        try (Model model = Model.newInstance("probe", device, "PyTorch")) {
            model.setBlock(built.block());
            Shape input = new Shape(8, 1, 28, 28);
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()))) {
                trainer.initialize(input);
                NDManager root = trainer.getManager();
                ParameterStore ps = new ParameterStore(root, false);
                CamModel cam = CamModel.of(built.block());
                GuidedLoss loss = new GuidedLoss(cam, GuidanceFactory.terms(cfg.at("guidance"), built, cam, root,
                        new long[] {1, 28, 28}), false);
                for (int step = 0; step < 3; step++) {
                    try (NDManager scope = root.newSubManager(); GradientCollector gc = trainer.newGradientCollector()) {
                        NDArray x = scope.randomUniform(0, 1, input);
                        NDArray y = scope.randomInteger(0, 10, new Shape(8), DataType.INT64);
                        NDArray allowed = scope.ones(new Shape(8, 1, 28, 28));
                        allowed.set(new ai.djl.ndarray.index.NDIndex(":, :, 0:6, 0:6"), 0f); // a forbidden corner
                        GuidedLoss.Result r = loss.evaluate(ps, x, Map.of("label", y), Map.of("label", allowed),
                                Map.of("label", scope.ones(new Shape(8))), true);
                        r.backward(gc);
                        System.out.println("loss=" + r.total().getFloat() + " penalty=" + r.penalties().values().iterator().next().getFloat());
                        count(scope, devices);
                        System.out.println("input_device=" + x.getDevice());
                    }
                }
                count(root, devices); // parameters and their gradients
            }
        }
        devices.forEach((d, n) -> System.out.println("arrays_on=" + d + " " + n));
    }

    /** Counts the live arrays of {@code manager} and its sub-managers by device. */
    private static void count(NDManager manager, Map<String, Integer> devices) throws ReflectiveOperationException {
        Field f = BaseNDManager.class.getDeclaredField("resources"); // DJL keeps no public list of a manager's arrays
        f.setAccessible(true);
        for (Object r : ((Map<?, ?>) f.get(manager)).values()) {
            if (r instanceof NDArray a && !a.isReleased()) {
                devices.merge(a.getDevice().toString(), 1, Integer::sum);
            } else if (r instanceof NDManager m) {
                count(m, devices);
            }
        }
    }
}
