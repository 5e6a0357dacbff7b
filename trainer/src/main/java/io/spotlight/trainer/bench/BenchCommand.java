package io.spotlight.trainer.bench;

import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.typesafe.config.ConfigFactory;
import io.spotlight.cam.GradientMode;
import io.spotlight.cam.model.MultiHeadBlock;
import io.spotlight.trainer.cli.Home;
import io.spotlight.trainer.config.Cfg;
import io.spotlight.trainer.config.RunDirectories;
import io.spotlight.trainer.data.FashionMnistBasedDataset;
import io.spotlight.trainer.data.Head;
import io.spotlight.trainer.run.ModelFactory;
import io.spotlight.trainer.run.RunFilesListener;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./spotlight bench}: guided vs baseline step time in one process (alternating, median
 * after warm-up) for 1, 2 and 4 heads on the small CNN and for a DJL ResNet, where the time goes,
 * and resident memory over many guided steps. Writes {@code bench.json} and prints its path last.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure guided vs baseline step time and memory; writes bench.json.")
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--steps", description = "measured steps per variant and case (default ${DEFAULT-VALUE})")
    int steps = 100;

    @Option(names = "--warmup", description = "warm-up steps per variant and case (default ${DEFAULT-VALUE})")
    int warmup = 20;

    @Option(names = "--rss-steps", description = "guided steps over which RSS growth is measured (default ${DEFAULT-VALUE})")
    int rssSteps = 5000;

    @Option(names = "--no-resnet", description = "skip the ResNet case")
    boolean noResnet;

    @Option(names = "--device", description = "cpu (default) or gpu: the same table on the GPU the engine sees"
            + " (./spotlight points DJL at a CUDA libtorch when nvidia-smi lists a GPU)")
    String device = "cpu";

    @Option(names = "--no-conv1", description = "skip the hirescam-conv1 (exact, second-order) cases")
    boolean noConv1;

    /** A guided variant as the bench runs it: HiResCAM outside_share, label log-probability target. */
    record Variant(String name, String smallCnnLayer, String resnetAlias, GradientMode mode, String description) {}

    /** configs/guidance/hirescam-features.conf: the default guided variant, on the fast path. */
    static final Variant FEATURES = new Variant("hirescam-features", "trunk", "features", GradientMode.CONSTANT_WEIGHTS,
            "HiResCAM outside_share at the trunk output (last conv features), constant channel weights,"
                    + " label log-probability target: the default guided variant, which reuses the cross-entropy's gradient");
    /** configs/guidance/hirescam-conv1.conf: exact second-order gradients at the first convolution. */
    static final Variant CONV1 = new Variant("hirescam-conv1", "trunk/0", "stem", GradientMode.EXACT,
            "HiResCAM outside_share at the first convolution, exact second-order gradients, label log-probability target");

    @Override
    public Integer call() throws Exception {
        if (!device.equals("cpu") && !device.equals("gpu")) {
            throw new io.spotlight.trainer.config.SpotlightConfigError("--device must be cpu or gpu, got '" + device + "'");
        }
        ai.djl.Device on = io.spotlight.trainer.run.GuidedTraining.device(device); // gpu without one: an error naming it
        System.out.println("device: " + on + " (libtorch " + ai.djl.engine.Engine.getEngine("PyTorch").getVersion() + ")");
        List<Map<String, Object>> cases = new ArrayList<>();
        System.out.printf("%-18s %-10s %5s %5s %12s %12s %6s   forward(+CAM) / backward / optimizer ms: baseline | guided%n",
                "guided variant", "model", "heads", "batch", "baseline ms", "guided ms", "ratio");
        List<Variant> variants = noConv1 ? List.of(FEATURES) : List.of(FEATURES, CONV1);
        for (Variant v : variants) {
            for (int heads : new int[] {1, 2, 4}) {
                cases.add(run(v, "small-cnn", smallCnn(heads), new Shape(64, 1, 28, 28), v.smallCnnLayer(), heads, on));
            }
        }
        if (!noResnet) {
            for (Variant v : variants) {
                ModelFactory.BuiltModel resnet = resnet();
                cases.add(run(v, "resnet18", resnet.block(), new Shape(32, 3, 64, 64), resnet.layer(v.resnetAlias()), 1, on));
            }
        }
        double growth = rssGrowth();
        for (Map<String, Object> c : cases) {
            if (c.get("model").equals("small-cnn") && ((Integer) c.get("heads")) == 2 && c.get("guided").equals(FEATURES.name())) {
                c.put("rss_growth_mb", growth);
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("machine", Map.of("cores", Runtime.getRuntime().availableProcessors(),
                "os_arch", System.getProperty("os.arch"), "java", System.getProperty("java.version")));
        Map<String, String> described = new LinkedHashMap<>();
        variants.forEach(v -> described.put(v.name(), v.description()));
        out.put("guided_variants", described);
        out.put("device", on.toString());
        out.put("steps", steps);
        out.put("warmup", warmup);
        out.put("cases", cases);
        Path dir = RunDirectories.createUnique(Home.get().resolve("outputs").resolve("bench")
                .resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd/HH-mm-ss"))));
        Path json = dir.resolve("bench.json");
        RunFilesListener.writeAtomically(json, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(out));
        System.out.println(json);
        return 0;
    }

    private Map<String, Object> run(Variant variant, String name, MultiHeadBlock block, Shape input, String layer, int heads,
            ai.djl.Device on) {
        try (StepBench bench = new StepBench(block, input, layer, 1, variant.mode(), on)) {
            StepBench.Timing[] t = bench.measure(warmup, steps);
            double ratio = t[1].totalMs() / t[0].totalMs();
            System.out.printf("%-18s %-10s %5d %5d %12.2f %12.2f %6.2f   %.2f / %.2f / %.2f | %.2f / %.2f / %.2f%n", variant.name(),
                    name, heads, input.get(0), t[0].totalMs(), t[1].totalMs(), ratio, t[0].forwardMs(), t[0].backwardMs(),
                    t[0].optimizerMs(), t[1].forwardMs(), t[1].backwardMs(), t[1].optimizerMs());
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("guided", variant.name());
            c.put("layer", layer);
            c.put("fast_path", bench.guidedTakesFastPath());
            c.put("model", name);
            c.put("heads", heads);
            c.put("batch", input.get(0));
            c.put("baseline_ms", t[0].totalMs());
            c.put("guided_ms", t[1].totalMs());
            c.put("ratio", ratio);
            c.put("images_per_s_baseline", input.get(0) * 1000 / t[0].totalMs());
            c.put("images_per_s_guided", input.get(0) * 1000 / t[1].totalMs());
            c.put("baseline_breakdown_ms", Map.of("forward", t[0].forwardMs(), "backward", t[0].backwardMs(), "optimizer", t[0].optimizerMs()));
            c.put("guided_breakdown_ms", Map.of("forward_and_cam", t[1].forwardMs(), "backward", t[1].backwardMs(), "optimizer", t[1].optimizerMs()));
            c.put("rss_growth_mb", null);
            return c;
        }
    }

    /**
     * RSS growth over {@code rssSteps} guided steps (2 heads, small CNN, the default guided
     * variant) after 1,000 warm-up steps, measured by {@link RssProbe} in a JVM of its own.
     */
    private double rssGrowth() throws java.io.IOException, InterruptedException {
        String javaBin = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(javaBin, "-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch", "-Dai.djl.offline=true",
                "-cp", System.getProperty("java.class.path"), RssProbe.class.getName(), Integer.toString(rssSteps))
                .redirectErrorStream(true).start();
        double growth = Double.NaN;
        try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
                java.nio.charset.StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith("growth_mb=")) {
                    growth = Double.parseDouble(line.substring("growth_mb=".length()));
                    System.out.printf("RSS growth over %d guided steps: %.1f MB%n", rssSteps, growth);
                } else if (line.startsWith("RSS")) {
                    System.out.println(line);
                }
            }
        }
        if (p.waitFor() != 0 || Double.isNaN(growth)) {
            throw new IllegalStateException("the RSS probe JVM failed (exit " + p.exitValue() + ")");
        }
        return growth;
    }

    private static List<Head> heads(int n) {
        List<Head> heads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            heads.add(new Head("h" + i, FashionMnistBasedDataset.LABEL_HEAD.classNames()));
        }
        return heads;
    }

    static MultiHeadBlock smallCnn(int n) {
        return ModelFactory.build(new Cfg(ConfigFactory.parseString("name = small-cnn, channels = [16, 32], hidden = 64")), heads(n)).block();
    }

    private static ModelFactory.BuiltModel resnet() {
        return ModelFactory.build(new Cfg(ConfigFactory.parseString("name = resnet, layers_count = 18, image_shape = [3, 64, 64]")), heads(1));
    }
}
