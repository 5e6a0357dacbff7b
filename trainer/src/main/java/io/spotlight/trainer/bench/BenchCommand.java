package io.spotlight.trainer.bench;

import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.typesafe.config.ConfigFactory;
import io.spotlight.cam.GradientMode;
import io.spotlight.cam.method.CamMethods;
import io.spotlight.cam.target.Targets;
import io.spotlight.cam.model.MultiHeadBlock;
import io.spotlight.losses.Amortisation;
import io.spotlight.losses.CounterfactualAugmentation;
import io.spotlight.losses.CounterfactualConsistency;
import io.spotlight.losses.CounterfactualMix;
import io.spotlight.losses.PenaltyTerm;
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
 * after warm-up, the first case run once unrecorded before the rest) for 1, 2 and 4 heads on the
 * small CNN and for a DJL ResNet, with and without amortised guidance, where the time goes, and
 * each case's resident memory over many guided steps in a JVM of its own; with {@code
 * --vs-pytorch} the same cases in a PyTorch eager twin. Writes {@code bench.json} and prints its
 * path last.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure guided vs baseline step time and memory; writes bench.json.")
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--steps", description = "measured steps per variant and case (default ${DEFAULT-VALUE})")
    int steps = 100;

    @Option(names = "--warmup", description = "warm-up steps per variant and case (default ${DEFAULT-VALUE})")
    int warmup = 20;

    @Option(names = "--rss-steps", description = "guided steps over which each case's RSS growth is measured, in a JVM of"
            + " its own (default ${DEFAULT-VALUE})")
    int rssSteps = 5000;

    @Option(names = "--rss-warmup", description = "guided steps before the RSS probe's first reading (default ${DEFAULT-VALUE})")
    int rssWarmup = 1000;

    @Option(names = "--no-resnet", description = "skip the ResNet cases")
    boolean noResnet;

    @Option(names = "--variants", split = ",", description = "guided variants to run: hirescam-features, hirescam-conv1,"
            + " counterfactual, counterfactual-mix (default: these four), counterfactual-augment, counterfactual-augment-pair")
    List<String> variantNames = new ArrayList<>(List.of("hirescam-features", "hirescam-conv1", "counterfactual", "counterfactual-mix"));

    @Option(names = "--no-conv1", description = "skip the hirescam-conv1 (exact, second-order) cases")
    boolean noConv1;

    @Option(names = "--amortise", split = ",", description = "amortisations to run every case with: K (guidance every K-th"
            + " step, penalty x K) or K/S (and on S samples of the batch); default ${DEFAULT-VALUE}")
    List<String> amortise = new ArrayList<>(List.of("1", RECOMMENDED));

    @Option(names = "--pairs", description = "pairs of the counterfactual-mix variant (annotated samples per step paired with"
            + " their counterfactual; default ${DEFAULT-VALUE}, configs/guidance/recommended.conf's)")
    int pairs = MIX_PAIRS;

    @Option(names = "--device", description = "cpu (default) or gpu: the same table on the GPU the engine sees"
            + " (experiments/bench/RESULTS.md: not run here, no GPU)")
    String device = "cpu";

    /** The device the cases run on, from {@link #device}. */
    private ai.djl.Device on = ai.djl.Device.cpu();

    @Option(names = "--vs-pytorch", description = "also run each case in a PyTorch eager twin (scripts/bench_twin.py, torch"
            + " from .venv/torch: scripts/install-torch.sh), alternating with the DJL case, and print DJL/PyTorch ratios")
    boolean vsPytorch;

    /** The amortisation the bench shows next to the unamortised step (see experiments/bench/RESULTS.md). */
    static final String RECOMMENDED = "4";

    /**
     * A guided variant as the bench runs it: HiResCAM outside_share with the label log-probability
     * target at a layer, or the counterfactual-consistency term (no map, no layer).
     */
    record Variant(String name, String smallCnnLayer, String resnetAlias, GradientMode mode, String penalty, String description) {
        /**
         * The variant's reason term at {@code layer} (the model's name of the variant's layer);
         * {@code pairs} is the mix's (ignored by the other variants).
         */
        PenaltyTerm term(String layer, int pairs) {
            if (penalty.equals(CounterfactualConsistency.NAME) || CounterfactualAugmentation.isName(penalty)) {
                return new PenaltyTerm(penalty, penalty, null, null, null, 10, 0, mode, Targets.label());
            }
            if (penalty.equals(CounterfactualMix.NAME)) {
                return new PenaltyTerm(penalty, penalty, null, null, null, 10, 0, mode, Targets.label(), pairs);
            }
            return new PenaltyTerm("hirescam@" + layer, penalty, CamMethods.byName("hirescam"), layer, null, 1, 1, mode,
                    Targets.labelLogProbability());
        }
    }

    /** configs/guidance/hirescam-features.conf: the previous default, on the fast path. */
    static final Variant FEATURES = new Variant("hirescam-features", "trunk", "features", GradientMode.CONSTANT_WEIGHTS,
            "outside_share", "HiResCAM outside_share at the trunk output (last conv features), constant channel weights,"
                    + " label log-probability target, which reuses the cross-entropy's gradient");
    /** configs/guidance/hirescam-conv1.conf: exact second-order gradients at the first convolution. */
    static final Variant CONV1 = new Variant("hirescam-conv1", "trunk/0", "stem", GradientMode.EXACT, "outside_share",
            "HiResCAM outside_share at the first convolution, exact second-order gradients, label log-probability target");
    /** configs/guidance/counterfactual-consistency.conf: one extra forward of the swapped batch (recommended before the mix). */
    static final Variant COUNTERFACTUAL = new Variant("counterfactual", null, null, GradientMode.EXACT,
            CounterfactualConsistency.NAME, "counterfactual consistency: KL between the predictions on the batch and on the"
                    + " batch with each forbidden region taken from the next sample (every annotated sample paired)");

    /** configs/guidance/counterfactual-augment.conf: the annotated samples replaced by their counterfactuals. */
    static final Variant AUGMENT = new Variant("counterfactual-augment", null, null, GradientMode.EXACT,
            CounterfactualAugmentation.NAME, "counterfactual augmentation: the batch's annotated samples replaced by"
                    + " their counterfactuals (forbidden region from the next sample), plus their mean cross-entropy");

    /** The same with the pair swap (the partner's forbidden region comes along); not in the default list. */
    static final Variant AUGMENT_PAIR = new Variant("counterfactual-augment-pair", null, null, GradientMode.EXACT,
            CounterfactualAugmentation.PAIR, "counterfactual augmentation with the pair swap: the partner's forbidden"
                    + " region comes along");

    /** configs/guidance/recommended.conf's pairs (BenchCommandTest checks that they agree). */
    static final int MIX_PAIRS = 4;
    /** configs/guidance/recommended.conf, the counterfactual mix: consistency on 8 annotated samples, the others replaced. */
    static final Variant MIX = new Variant("counterfactual-mix", null, null, GradientMode.EXACT, CounterfactualMix.NAME,
            "counterfactual mix (the recommended variant): consistency on the first `pairs` annotated samples (their counterfactuals'"
                    + " own forward), every other annotated sample replaced by its pair-swap counterfactual");

    static final List<Variant> VARIANTS = List.of(FEATURES, CONV1, COUNTERFACTUAL, AUGMENT, AUGMENT_PAIR, MIX);

    static Variant variant(String name) {
        return VARIANTS.stream().filter(v -> v.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown bench variant '" + name + "' (expected one of "
                        + VARIANTS.stream().map(Variant::name).toList() + ")"));
    }

    @Override
    public Integer call() throws Exception {
        if (!device.equals("cpu") && !device.equals("gpu")) {
            throw new io.spotlight.trainer.config.SpotlightConfigError("--device must be cpu or gpu, got '" + device + "'");
        }
        on = io.spotlight.trainer.run.GuidedTraining.device(device); // gpu without one: an error naming it
        System.out.println("device: " + on + " (libtorch " + ai.djl.engine.Engine.getEngine("PyTorch").getVersion() + ")");
        List<Amortisation> settings = new ArrayList<>();
        for (String a : amortise) {
            settings.add(BenchCase.parseAmortisation(a));
        }
        List<Variant> variants = new ArrayList<>();
        for (String name : variantNames) {
            Variant v;
            try {
                v = variant(name.strip());
            } catch (IllegalArgumentException e) {
                throw new io.spotlight.trainer.config.SpotlightConfigError("--variants: " + e.getMessage());
            }
            if (!(noConv1 && v == CONV1)) {
                variants.add(v);
            }
            if (v == MIX && settings.stream().anyMatch(a -> a.subBatch() != 0)) {
                throw new io.spotlight.trainer.config.SpotlightConfigError("--amortise: a sub-batch (K/S) does not apply to "
                        + MIX.name() + ", whose pairs bound its extra forward; give K only");
            }
        }
        if (pairs < 1) {
            throw new io.spotlight.trainer.config.SpotlightConfigError("--pairs must be at least 1, got " + pairs);
        }
        if (variants.contains(MIX)) {
            System.out.println(MIX.name() + ": " + pairs + " pairs");
        }
        List<BenchCase> plan = new ArrayList<>();
        for (Amortisation a : settings) {
            for (Variant v : variants) {
                for (int heads : new int[] {1, 2, 4}) {
                    plan.add(new BenchCase(v, "small-cnn", heads, a, v == MIX ? pairs : 0));
                }
            }
            if (!noResnet) {
                for (Variant v : variants) {
                    plan.add(new BenchCase(v, "resnet18", 1, a, v == MIX ? pairs : 0));
                }
            }
        }
        ai.djl.engine.Engine.getEngine("PyTorch"); // loads the native library that the thread count is read from
        int threads = ai.djl.pytorch.jni.JniUtils.getNumThreads();
        System.out.printf("%-18s %-6s %-10s %5s %5s %11s %11s %6s   forward(+CAM) / backward / optimizer ms: baseline | guided, faults%n",
                "guided variant", "every", "model", "heads", "batch", "baseline ms", "guided ms", "ratio");
        System.out.println("(faults: minor page faults per step; thousands mean the native heap is given back every step,"
                + " see MALLOC_* in ./spotlight)");
        List<Map<String, Object>> cases = new ArrayList<>();
        Map<String, Object> warmUpCase = null;
        try (PytorchTwin twin = vsPytorch ? PytorchTwin.start(threads) : null) {
            if (!plan.isEmpty()) {
                // the first case measured in a JVM reads high (JIT compilation, the allocator's
                // first pools: 1.50-1.63 against 1.34-1.46 for the same case later, RESULTS.md
                // session 6), so the first case runs once unrecorded; the twin likewise
                System.out.println("warm-up case (not recorded):");
                warmUpCase = run(plan.get(0));
                if (twin != null) {
                    twin.measure(plan.get(0), warmup, steps);
                }
            }
            for (BenchCase c : plan) {
                Map<String, Object> row = run(c);
                if (twin != null) {
                    // right after the DJL case: the same window of the machine's load
                    PytorchTwin.Timing pt = twin.measure(c, warmup, steps);
                    double base = (Double) row.get("baseline_ms");
                    double guided = (Double) row.get("guided_ms");
                    Map<String, Object> p = new LinkedHashMap<>();
                    p.put("baseline_ms", pt.baselineMs());
                    p.put("guided_ms", pt.guidedMs());
                    p.put("ratio", pt.guidedMs() / pt.baselineMs());
                    p.put("djl_over_pytorch_baseline", base / pt.baselineMs());
                    p.put("djl_over_pytorch_guided", guided / pt.guidedMs());
                    row.put("pytorch", p);
                    System.out.printf("%-18s %-6s %-10s %5s %5s %11.2f %11.2f %6.2f   PyTorch twin; DJL/PyTorch: plain %.2f, guided %.2f%n",
                            "", "", "  pytorch", "", "", pt.baselineMs(), pt.guidedMs(), pt.guidedMs() / pt.baselineMs(),
                            base / pt.baselineMs(), guided / pt.guidedMs());
                }
                cases.add(row);
            }
        }
        for (int i = 0; i < plan.size(); i++) {
            RssReading rss = rssGrowth(plan.get(i));
            cases.get(i).put("rss_growth_mb", rss.growthMb());
            cases.get(i).put("rss_jit_compile_ms", rss.jitCompileMs());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("machine", Map.of("cores", Runtime.getRuntime().availableProcessors(), "intra_op_threads", threads,
                "os_arch", System.getProperty("os.arch"), "java", System.getProperty("java.version"),
                "load_average_at_end", java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        Map<String, String> described = new LinkedHashMap<>();
        variants.forEach(v -> described.put(v.name(), v.description()));
        out.put("guided_variants", described);
        out.put("steps", steps);
        out.put("warmup", warmup);
        out.put("rss_steps", rssSteps);
        out.put("device", on.toString());
        out.put("warmup_case", warmUpCase);
        out.put("cases", cases);
        Path dir = RunDirectories.createUnique(Home.get().resolve("outputs").resolve("bench")
                .resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd/HH-mm-ss"))));
        Path json = dir.resolve("bench.json");
        RunFilesListener.writeAtomically(json, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(out));
        System.out.println(json);
        return 0;
    }

    private Map<String, Object> run(BenchCase bc) {
        Shape input = bc.input();
        Amortisation a = bc.amortisation();
        try (StepBench bench = bc.open(on)) {
            StepBench.Timing[] t = bench.measure(warmup, steps);
            double ratio = t[1].totalMs() / t[0].totalMs();
            String every = a.every() + (a.subBatch() == 0 ? "" : "/" + a.subBatch());
            System.out.printf("%-18s %-6s %-10s %5d %5d %11.2f %11.2f %6.2f   %.2f / %.2f / %.2f | %.2f / %.2f / %.2f, %.0f%n",
                    bc.variant().name(), every, bc.model(), bc.heads(), input.get(0), t[0].totalMs(), t[1].totalMs(), ratio,
                    t[0].forwardMs(), t[0].backwardMs(), t[0].optimizerMs(), t[1].forwardMs(), t[1].backwardMs(), t[1].optimizerMs(),
                    bench.faultsPerStep());
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("guided", bc.variant().name());
            c.put("layer", bc.layer());
            c.put("mode", bc.variant().mode().name().toLowerCase(java.util.Locale.ROOT));
            c.put("fast_path", bench.guidedTakesFastPath());
            c.put("model", bc.model());
            c.put("heads", bc.heads());
            c.put("batch", input.get(0));
            c.put("amortisation", Map.of("every", a.every(), "sub_batch", a.subBatch()));
            if (bc.variant() == MIX) {
                c.put("pairs", bc.pairs());
            }
            c.put("baseline_ms", t[0].totalMs());
            c.put("guided_ms", t[1].totalMs());
            c.put("ratio", ratio);
            c.put("images_per_s_baseline", input.get(0) * 1000 / t[0].totalMs());
            c.put("images_per_s_guided", input.get(0) * 1000 / t[1].totalMs());
            c.put("baseline_breakdown_ms", Map.of("forward", t[0].forwardMs(), "backward", t[0].backwardMs(), "optimizer", t[0].optimizerMs()));
            c.put("guided_breakdown_ms", Map.of("forward_and_cam", t[1].forwardMs(), "backward", t[1].backwardMs(), "optimizer", t[1].optimizerMs()));
            // made where the trainer assembles batches (its loader thread), so not in guided_ms
            c.put("guided_prepare_ms", t[1].prepareMs());
            c.put("page_faults_per_step", bench.faultsPerStep());
            c.put("rss_growth_mb", null);
            return c;
        }
    }

    /**
     * RSS growth over {@code rssSteps} guided steps of one case after {@code rssWarmup} warm-up
     * steps, measured by {@link RssProbe} in a JVM of its own, with the JIT's compile time meanwhile.
     */
    private RssReading rssGrowth(BenchCase c) throws java.io.IOException, InterruptedException {
        String javaBin = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(javaBin, "-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch", "-Dai.djl.offline=true",
                "-cp", System.getProperty("java.class.path"), RssProbe.class.getName(), Integer.toString(rssSteps),
                Integer.toString(Math.min(rssWarmup, Math.max(rssSteps, 1)))));
        command.addAll(c.args());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        double growth = Double.NaN;
        long compileMs = -1;
        List<String> seen = new ArrayList<>();
        try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
                java.nio.charset.StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                seen.add(line);
                if (line.startsWith("growth_mb=")) {
                    growth = Double.parseDouble(line.substring("growth_mb=".length()));
                }
                if (line.startsWith("jit_compile_ms=")) {
                    compileMs = Long.parseLong(line.substring("jit_compile_ms=".length()));
                }
            }
        }
        if (p.waitFor() != 0 || Double.isNaN(growth)) {
            throw new IllegalStateException("the RSS probe JVM for " + c.args() + " failed (exit " + p.exitValue() + "): "
                    + String.join("\n", seen));
        }
        System.out.printf("RSS growth over %d guided steps of %s: %.1f MB (JIT compiling meanwhile: %d ms)%n", rssSteps,
                String.join(" ", c.args()), growth, compileMs);
        return new RssReading(growth, compileMs);
    }

    /** One case's RSS growth, and the JIT's compile time over the same steps (C2's memory shows as jumps; -1 if unknown). */
    private record RssReading(double growthMb, long jitCompileMs) {}

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

    static ModelFactory.BuiltModel resnet(int heads) {
        return ModelFactory.build(new Cfg(ConfigFactory.parseString("name = resnet, layers_count = 18, image_shape = [3, 64, 64]")), heads(heads));
    }
}
