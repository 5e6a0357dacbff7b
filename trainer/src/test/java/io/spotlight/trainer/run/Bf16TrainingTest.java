package io.spotlight.trainer.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spotlight.cam.CamComputer;
import io.spotlight.cam.CamRequest;
import io.spotlight.cam.Precision;
import io.spotlight.cam.method.CamMethods;
import io.spotlight.trainer.config.ComposedConfig;
import io.spotlight.trainer.config.ConfigRenderer;
import io.spotlight.trainer.data.AbstractGuidedDataset;
import io.spotlight.trainer.explain.RunModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code precision = bf16} in training: guided steps run with finite losses and penalties that
 * carry bfloat16's rounding, the trained model's maps of real test images agree with float32's
 * within the bound of the cam module's Bf16MapsTest, and any other value is an error naming the key.
 */
class Bf16TrainingTest {
    /** The bound of Bf16MapsTest (2^-5 of a map's largest value; argued there). */
    private static final double MAP_BOUND = 1.0 / 32;
    private static final String[] TINY = {"epochs=1", "dataset.train_size=320", "dataset.test_size=200",
        "guidance=hirescam-conv1", "log.every=1", "snapshot.every=0", "eval.cam_samples=100", "eval.metrics=[]",
        "tracking=off", "log.progress=false"};

    private static List<Map<?, ?>> train(Path dir, String precision) throws Exception {
        List<String> overrides = new ArrayList<>(List.of(TINY));
        overrides.add("precision=" + precision);
        ComposedConfig c = Repo.compose(Repo.DECOY, overrides.toArray(String[]::new));
        ConfigRenderer.save(dir, c);
        new GuidedTraining(c, dir, RunLauncher.standardListeners(c, dir, null)).run();
        List<Map<?, ?>> steps = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(dir.resolve("metrics.jsonl"))) {
            Map<?, ?> record = json.readValue(line, Map.class);
            if ("train".equals(record.get("kind"))) {
                steps.add(record);
            }
        }
        return steps;
    }

    private static double number(Map<?, ?> record, String key) {
        return ((Number) record.get(key)).doubleValue();
    }

    @Test
    void bf16GuidedStepsRunAndTheTrainedModelsMapsAgreeWithFp32(@TempDir Path half, @TempDir Path full) throws Exception {
        List<Map<?, ?>> h = train(half, "bf16");
        List<Map<?, ?>> f = train(full, "fp32");
        assertEquals(5, h.size(), "5 logged steps of 64 images");
        String penalty = "penalty/hirescam-conv1/label";
        for (Map<?, ?> step : h) {
            assertTrue(Double.isFinite(number(step, "loss")) && number(step, penalty) > 0, step.toString());
        }
        // the first step starts from the same weights: its penalty differs by the maps' rounding only
        double p16 = number(h.get(0), penalty);
        double p32 = number(f.get(0), penalty);
        System.out.printf("first step's penalty: bf16 %.6f, fp32 %.6f, relative difference %.2e%n", p16, p32,
                Math.abs(p16 - p32) / p32);
        assertNotEquals(p32, p16, "bf16 maps must carry bfloat16's rounding");
        assertTrue(Math.abs(p16 - p32) <= MAP_BOUND * p32, p16 + " vs " + p32);
        assertEquals(number(f.get(0), "ce/label"), number(h.get(0), "ce/label"), 0.0,
                "the cross-entropy's forward is float32 in both");

        // real inputs: the bf16 run's trained model on 200 Fashion-MNIST test images with decoys
        try (RunModel run = RunModel.load(half); NDManager manager = NDManager.newBaseManager("PyTorch")) {
            AbstractGuidedDataset test = DatasetFactory.build(run.config().at("dataset"), 64, 200).tests().get(DatasetFactory.MAIN_TEST);
            test.prepare(null);
            int n = 200;
            float[] images = new float[n * 28 * 28];
            long[] labels = new long[n];
            for (int i = 0; i < n; i++) {
                System.arraycopy(test.sample(i).image(), 0, images, i * 784, 784);
                labels[i] = test.sample(i).labels()[0];
            }
            NDArray x = manager.create(images, new Shape(n, 1, 28, 28));
            NDArray y = manager.create(labels);
            String head = run.camModel().headNames().get(0);
            for (String method : List.of("hirescam", "gradcam")) {
                for (String layer : List.of("trunk/0", "trunk")) {
                    NDArray m32 = maps(run, x, y, head, method, layer, Precision.FP32);
                    NDArray m16 = maps(run, x, y, head, method, layer, Precision.BF16);
                    double worst = worstNormalisedError(m32, m16);
                    System.out.printf("real images, trained model, %-8s at %-7s: worst |bf16 - fp32| / max|fp32| %.2e%n",
                            method, layer, worst);
                    assertTrue(worst > 0 && worst <= MAP_BOUND, method + " at " + layer + ": " + worst);
                }
            }
        }
    }

    private static NDArray maps(RunModel run, NDArray x, NDArray y, String head, String method, String layer, Precision p) {
        CamRequest request = CamRequest.builder().layer(layer).method(CamMethods.byName(method)).precision(p)
                .training(false).build();
        return new CamComputer(run.camModel()).compute(run.parameters(), x, Map.of(head, y), request).map(head, layer);
    }

    private static double worstNormalisedError(NDArray full, NDArray half) {
        double worst = 0;
        for (long i = 0; i < full.getShape().get(0); i++) {
            double[] f = full.get(i).toType(DataType.FLOAT64, false).toDoubleArray();
            double[] h = half.get(i).toType(DataType.FLOAT64, false).toDoubleArray();
            double max = 0;
            double diff = 0;
            for (int k = 0; k < f.length; k++) {
                max = Math.max(max, Math.abs(f[k]));
                diff = Math.max(diff, Math.abs(f[k] - h[k]));
            }
            if (max > 0) {
                worst = Math.max(worst, diff / max);
            }
        }
        return worst;
    }

    @Test
    void anyOtherPrecisionIsAnErrorNamingTheKeyAndTheValues() {
        ComposedConfig c = Repo.compose(Repo.DECOY, "precision=fp16");
        RuntimeException e = assertThrows(RuntimeException.class, () -> RunPreflight.check(c));
        System.out.println(e.getMessage());
        assertTrue(e.getMessage().contains("precision") && e.getMessage().contains("[bf16, fp32]")
                && e.getMessage().contains("fp16"), e.getMessage());
    }
}
