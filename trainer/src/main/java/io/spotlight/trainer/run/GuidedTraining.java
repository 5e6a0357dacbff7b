package io.spotlight.trainer.run;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.loss.Loss;
import ai.djl.util.RandomUtils;
import io.spotlight.cam.model.CamModel;
import io.spotlight.losses.GuidedLoss;
import io.spotlight.losses.PenaltyTerm;
import io.spotlight.trainer.config.Cfg;
import io.spotlight.trainer.config.ComposedConfig;
import io.spotlight.trainer.data.GuidedBatch;
import io.spotlight.trainer.data.Head;
import io.spotlight.trainer.optim.CheckpointState;
import io.spotlight.trainer.optim.JavaRandomState;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * One training run: DJL's {@link Trainer} with the guided step of shared/DESIGN.md, evaluation
 * after each epoch, and listeners for everything else (files, progress, snapshots, checkpoints,
 * tracking).
 */
public final class GuidedTraining {
    private final ComposedConfig composed;
    private final Path runDir;
    private final List<SpotlightListener> listeners;
    private final ResumePoint resume;

    public GuidedTraining(ComposedConfig composed, Path runDir, List<SpotlightListener> listeners) {
        this(composed, runDir, listeners, null);
    }

    /** @param resume the checkpoint a resumed run continues from, or null for a new run */
    public GuidedTraining(ComposedConfig composed, Path runDir, List<SpotlightListener> listeners, ResumePoint resume) {
        this.composed = composed;
        this.runDir = runDir;
        this.listeners = List.copyOf(listeners);
        this.resume = resume;
    }

    /** Picks the GPU when the engine sees one (config {@code device = auto}), else the CPU. */
    public static Device device(String setting) {
        int gpus = Engine.getEngine("PyTorch").getGpuCount();
        switch (setting) {
            case "cpu":
                return Device.cpu();
            case "gpu":
                if (gpus == 0) {
                    throw new io.spotlight.trainer.config.SpotlightConfigError("device = gpu, but the PyTorch engine sees no GPU");
                }
                return Device.gpu();
            default:
                return gpus > 0 ? Device.gpu() : Device.cpu();
        }
    }

    /** Trains, evaluates and returns the summary written to {@code summary.json}. */
    public Map<String, Object> run() throws IOException, ai.djl.translate.TranslateException {
        Cfg cfg = composed.cfg();
        DatasetFactory.Datasets data;
        try {
            Engine.getEngine("PyTorch").setRandomSeed((int) cfg.raw().getLong("seed"));
            device(cfg.getStringIn("device", Set.of("auto", "cpu", "gpu"))); // fail before any work
            data = DatasetFactory.build(cfg.at("dataset"), cfg.getInt("batch_size", 1, 1 << 16),
                    cfg.getInt("eval_batch_size", 1, 1 << 16));
            data.train().setMaskPolicy(maskPolicy(cfg));
            data.train().prepare();
            for (var t : data.tests().values()) {
                t.prepare();
            }
        } catch (IOException | RuntimeException e) {
            // listeners (tracking) still learn that the run failed
            Map<String, Object> failed = new LinkedHashMap<>(Map.of("status", "FAILED", "error", ErrorMessages.describe(e)));
            listeners.forEach(l -> l.onRunEnd(null, "FAILED", failed));
            throw e;
        }
        return train(cfg, data);
    }

    /** The {@code annotation} block: which training samples keep their masks, and how they are degraded. */
    static io.spotlight.trainer.data.MaskPolicy maskPolicy(Cfg cfg) {
        Cfg a = cfg.at("annotation");
        double share = a.raw().getDouble("share");
        if (!(share >= 0 && share <= 1)) {
            throw new io.spotlight.trainer.config.SpotlightConfigError("annotation.share must be a number in [0, 1], got " + share);
        }
        return new io.spotlight.trainer.data.MaskPolicy(share, a.getInt("count", 0, Integer.MAX_VALUE),
                a.getInt("shift", 0, 1024), a.getInt("dilate", 0, 1024), a.getBoolean("random"), cfg.raw().getLong("seed"));
    }

    private Map<String, Object> train(Cfg cfg, DatasetFactory.Datasets data) throws IOException, ai.djl.translate.TranslateException {
        Device device = device(cfg.getStringIn("device", Set.of("auto", "cpu", "gpu")));
        int epochs = cfg.getInt("epochs", 1, 10000);
        int batchSize = cfg.getInt("batch_size", 1, 1 << 16);
        ModelFactory.BuiltModel built = ModelFactory.build(cfg.at("model"), data.heads());
        long stepsPerEpoch = (data.train().size() + batchSize - 1) / batchSize;
        OptimizerFactory.Built opt = OptimizerFactory.build(cfg.at("optimizer"), stepsPerEpoch, epochs);
        String name = cfg.getString("name");
        ExecutorService loader = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "spotlight-data");
            t.setDaemon(true);
            return t;
        });
        long wallStart = System.nanoTime();
        String status = "FAILED";
        Map<String, Object> summary = new LinkedHashMap<>();
        RunContext ctx = null;
        try (Model model = Model.newInstance(name, device, "PyTorch")) {
            model.setBlock(built.block());
            Shape image = data.imageShape();
            Shape input = new Shape(1, image.get(0), image.get(1), image.get(2));
            if (resume != null) {
                // the checkpoint holds every parameter; model.weights only seeds a fresh run
                resume.load(built.block(), opt.optimizer(), model.getNDManager(), input, stepsPerEpoch);
            } else {
                ModelWeights.loadConfigured(cfg.at("model"), built, model.getNDManager(), image);
            }
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(opt.optimizer())
                    .optDevices(new Device[] {device})
                    // batches are assembled on a background thread, off the training thread's path
                    .optExecutorService(loader);
            listeners.forEach(config::addTrainingListeners);
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(input); // keeps parameters that a resume loaded
                if (resume == null) {
                    // A resumed run skips this: its training-mode forward would move BatchNorm
                    // running statistics away from the checkpoint's (the original run's pass is
                    // already in them), and Trainer.initialize has registered every parameter.
                    registerParameters(trainer, image);
                }
                ParameterStore ps = new ParameterStore(trainer.getManager(), false);
                CamModel camModel = CamModel.of(built.block());
                List<PenaltyTerm> terms = GuidanceFactory.terms(cfg.at("guidance"), built, camModel, trainer.getManager(),
                        new long[] {image.get(0), image.get(1), image.get(2)});
                GuidedLoss loss = new GuidedLoss(camModel, terms, cfg.getBoolean("guidance.auto_scale"),
                        GuidanceFactory.amortisation(cfg.at("guidance")), GuidanceFactory.precision(cfg));
                if (resume != null) {
                    loss.restoreScales(resume.state().autoScales());
                }
                // what a step needs of a batch's masks and nothing else is made on the loader's thread
                data.train().setTargetPipeline(new AnnotationPreparation(data.heads(), loss));
                RunContext[] self = new RunContext[1];
                ctx = new RunContext(name, runDir, composed, camModel, built, data, device, ps, stepsPerEpoch, epochs,
                        (key, s, png) -> listeners.forEach(l -> l.onImage(self[0], key, s, png)), opt.optimizer(), loss);
                self[0] = ctx;
                RunContext run = ctx;
                listeners.forEach(l -> l.onTrainingBegin(trainer));
                int logEvery = cfg.getInt("log.every", 1, 1 << 20);
                long step = resume == null ? 0 : resume.state().globalStep();
                Map<String, Double> lastEval = resume == null ? Map.of() : resume.lastEvaluation();
                if (resume != null) {
                    resume.restoreRandomState(); // last, right before the first shuffle draws from it
                }
                TimeBreakdown time = new TimeBreakdown();
                Preemption preemption = Preemption.fromEnvironment();
                // a checkpoint taken inside an epoch: that epoch again, without the batches it had trained
                CheckpointState.EpochProgress partial = resume == null ? null : resume.state().progress();
                for (int epoch = resume == null ? 1 : resume.nextEpoch(); epoch <= epochs; epoch++) {
                    // correct predictions counted on the device: read once per epoch, not once per step
                    Map<String, NDArray> trainCorrect = new LinkedHashMap<>();
                    for (Head h : data.heads()) {
                        long before = partial == null ? 0 : partial.trainCorrect().getOrDefault(h.name(), 0L);
                        trainCorrect.put(h.name(), trainer.getManager().create(before));
                    }
                    long seen = partial == null ? 0 : partial.seen();
                    long skip = partial == null ? 0 : partial.steps();
                    partial = null;
                    // what an in-epoch checkpoint stores, so that a resume draws this epoch's shuffle again
                    long shuffleState = JavaRandomState.capture(RandomUtils.RANDOM);
                    time.restart();
                    for (Batch batch : trainer.iterateDataset(data.train())) {
                        if (skip > 0) { // trained before the in-epoch checkpoint this run resumed from
                            skip--;
                            batch.close();
                            continue;
                        }
                        time.charge("data_wait");
                        try (batch) {
                            long t0 = System.nanoTime();
                            boolean log = (step + 1) % logEvery == 0 || step == 0;
                            Map<String, Double> metrics = step(trainer, loss, ps, data, batch, step, epoch, trainCorrect, log);
                            seen += batch.getSize();
                            trainer.step();
                            time.charge("step");
                            step++;
                            long done = step;
                            int ep = epoch;
                            listeners.forEach(l -> l.onBatch(run, done, ep));
                            if (log) {
                                double ms = (System.nanoTime() - t0) / 1e6;
                                metrics.put("step_time_ms", ms);
                                metrics.put("images_per_s", batch.getSize() * 1000.0 / ms);
                                metrics.put("lr", (double) opt.schedule().getNewValue((int) step));
                                metrics.put("epoch", (double) epoch);
                                long s = step;
                                listeners.forEach(l -> l.onStep(run, s, metrics));
                            }
                            time.charge("step_listeners");
                        }
                        // after an epoch's last step, its evaluation and checkpoint come first (below)
                        if (step < (long) epoch * stepsPerEpoch && preemption.requested()) {
                            throw stopForRequeue(run, epoch, step, shuffleState, seen, trainCorrect);
                        }
                    }
                    time.restart();
                    lastEval = new LinkedHashMap<>();
                    for (Map.Entry<String, NDArray> c : trainCorrect.entrySet()) {
                        lastEval.put("train/accuracy/" + c.getKey(), 100.0 * c.getValue().getLong() / Math.max(1, seen));
                        c.getValue().close();
                    }
                    lastEval.putAll(evaluate(ctx, trainer.getManager()));
                    time.charge("evaluation");
                    lastEval.putAll(mapMetrics(ctx, trainer.getManager(), epoch == epochs));
                    time.charge(MAP_METRICS_PHASE); // apart, so that wall-time comparisons can leave it out
                    Map<String, Double> eval = lastEval;
                    int e = epoch;
                    long s = step;
                    listeners.forEach(l -> l.onEvaluation(run, e, s, eval));
                    listeners.forEach(l -> l.onEpoch(trainer));
                    time.charge("epoch_listeners");
                    if (epoch < epochs && preemption.requested()) {
                        throw new PreemptedException("preempted after epoch " + epoch + " (step " + step
                                + "): resume continues from its checkpoint");
                    }
                }
                summary.put("name", name);
                summary.put("steps", step);
                summary.put("epochs", epochs);
                summary.put("device", device.toString());
                summary.put("metrics", lastEval);
                summary.put("auto_scales", loss.scales());
                if (resume != null) {
                    summary.put("resumed_from", resume.checkpoint().getFileName().toString());
                }
                summary.put("wall_seconds", (System.nanoTime() - wallStart) / 1e9);
                summary.put("time_seconds", time.seconds());
                model.save(runDir.resolve("model"), "model");
                status = "FINISHED";
                listeners.forEach(l -> l.onTrainingEnd(trainer));
            }
            return summary;
        } catch (PreemptedException e) {
            status = PREEMPTED;
            summary.put("preempted", e.getMessage());
            throw e;
        } catch (Exception e) {
            summary.put("error", ErrorMessages.describe(e)); // summary.json says why the run failed
            throw e;
        } finally {
            loader.shutdownNow();
            summary.putIfAbsent("wall_seconds", (System.nanoTime() - wallStart) / 1e9);
            summary.put("status", status);
            RunContext run = ctx;
            String st = status;
            listeners.forEach(l -> l.onRunEnd(run, st, summary));
        }
    }

    /** The status of a run stopped by {@link Preemption}: not finished, not failed; it goes on from its checkpoint. */
    public static final String PREEMPTED = "PREEMPTED";

    /**
     * Writes the in-epoch checkpoint of a preempted run (after every listener has seen the step,
     * like an epoch's checkpoint) and returns the exception that ends the run.
     */
    private static PreemptedException stopForRequeue(RunContext run, int epoch, long step, long shuffleState, long seen,
            Map<String, NDArray> trainCorrect) {
        long inEpoch = step - (epoch - 1) * run.stepsPerEpoch();
        String where = "step " + step + " (" + inEpoch + " of " + run.stepsPerEpoch() + " in epoch " + epoch + ")";
        if (!run.config().cfg().getBoolean("checkpoint.enabled")) {
            return new PreemptedException("preempted at " + where + "; checkpoint.enabled = false, so the next attempt"
                    + " starts from the newest checkpoint there is, or from the first step");
        }
        Map<String, Long> correct = new LinkedHashMap<>();
        trainCorrect.forEach((head, n) -> correct.put(head, n.getLong()));
        java.nio.file.Path checkpoint = CheckpointListener.save(run, epoch - 1, step, shuffleState,
                new CheckpointState.EpochProgress(inEpoch, seen, correct), io.spotlight.trainer.optim.CheckpointWriter.files());
        return new PreemptedException("preempted at " + where + "; checkpoint " + run.runDir().relativize(checkpoint)
                + " written: resume continues from it");
    }

    /**
     * One guided step: forward (with the maps), loss, a check for NaN/Inf, backward. The loss is
     * the one value read back every step (for the check); the per-term metrics only on logged steps.
     */
    private static Map<String, Double> step(Trainer trainer, GuidedLoss loss, ParameterStore ps,
            DatasetFactory.Datasets data, Batch batch, long step, int epoch, Map<String, NDArray> trainCorrect, boolean log) {
        GuidedBatch b = data.train().layout().unpack(batch);
        Map<String, NDArray> labels = new HashMap<>();
        Map<String, NDArray> allowed = new HashMap<>();
        Map<String, NDArray> hasMask = new HashMap<>();
        for (Head h : data.heads()) {
            labels.put(h.name(), b.label(h.name()));
            allowed.put(h.name(), b.allowedMask(h.name()));
            hasMask.put(h.name(), b.hasMask(h.name()));
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        try (GradientCollector gc = trainer.newGradientCollector()) {
            // the global step (continued by a resume) keeps the amortisation's every-k schedule
            GuidedLoss.Result r = loss.evaluate(ps, b.images(), labels, AnnotationPreparation.of(batch, allowed, hasMask), true,
                    step);
            double total = scalar(r.total());
            if (log || !Double.isFinite(total)) {
                metrics.put("loss", total);
                r.crossEntropy().forEach((h, v) -> metrics.put("ce/" + h, scalar(v)));
                r.penalties().forEach((k, v) -> metrics.put("penalty/" + k, scalar(v)));
            }
            if (!Double.isFinite(total)) {
                List<String> culprits = new ArrayList<>();
                metrics.forEach((k, v) -> {
                    if (!Double.isFinite(v)) {
                        culprits.add(k + "=" + v);
                    }
                });
                throw new NonFiniteLossException("the loss is " + total + " at step " + (step + 1) + " (epoch " + epoch
                        + "): " + String.join(", ", culprits) + "; " + NonFiniteLossException.inputNote(b.images())
                        + "; the step was not taken and the last checkpoint is intact");
            }
            r.backward(gc);
            // training accuracy of the epoch, from the logits the step computed anyway
            for (Head h : data.heads()) {
                NDArray correct = r.outputs().get(h.name()).argMax(1).toType(DataType.INT64, false)
                        .eq(labels.get(h.name()).toType(DataType.INT64, false)).sum().toType(DataType.INT64, false);
                trainCorrect.get(h.name()).addi(correct);
            }
        }
        return metrics;
    }

    private static double scalar(NDArray a) {
        return a.toType(DataType.FLOAT64, false).getDouble();
    }

    /** The phase of {@code time_seconds} in {@code summary.json} that the map metrics took. */
    public static final String MAP_METRICS_PHASE = "map_metrics";

    /** Notes of the map metrics already printed: each is printed once per process, not every epoch. */
    private static final Map<String, Boolean> NOTES_SHOWN = new java.util.concurrent.ConcurrentHashMap<>();

    private static Map<String, Double> evaluate(RunContext ctx, NDManager manager) {
        Map<String, Double> out = new LinkedHashMap<>();
        Cfg cfg = ctx.config().cfg();
        try (NDManager scope = manager.newSubManager()) {
            ctx.datasets().tests().forEach((set, data) -> Evaluation.accuracy(ctx.model(), ctx.parameters(), data, scope)
                    .forEach((head, acc) -> out.put(set + "/accuracy/" + head, acc)));
            String layer = ctx.built().layer(cfg.getString("snapshot.layer"));
            boolean sideBySide = cfg.getString("dataset.name").equals(io.spotlight.trainer.data.TwoItemFashionMnist.NAME);
            Evaluation.camShares(ctx.model(), ctx.parameters(), ctx.datasets().tests().get(DatasetFactory.MAIN_TEST), scope,
                            cfg.getString("snapshot.method"), layer, cfg.getInt("eval.cam_samples", 0, 1 << 20), sideBySide)
                    .forEach((key, share) -> out.put("test/" + key, share));
        }
        return out;
    }

    /** The map metrics ({@code eval.metrics}) after an epoch, as {@code test/METRIC/HEAD}; notes printed once. */
    private static Map<String, Double> mapMetrics(RunContext ctx, NDManager manager, boolean lastEpoch) {
        Map<String, Double> out = new LinkedHashMap<>();
        Cfg cfg = ctx.config().cfg();
        try (NDManager scope = manager.newSubManager()) {
            EvalMetrics metrics = EvalMetrics.from(cfg);
            if (!metrics.names().isEmpty() && (lastEpoch || !metrics.lastEpochOnly())) {
                Evaluation.MapMetrics m = Evaluation.mapMetrics(ctx.model(), ctx.parameters(),
                        ctx.datasets().tests().get(DatasetFactory.MAIN_TEST), scope, metrics.method(),
                        ctx.built().layer(metrics.layer()), metrics.samples(), metrics.newSet());
                m.values().forEach((key, v) -> out.put("test/" + key, v));
                m.notes().forEach(n -> NOTES_SHOWN.computeIfAbsent(n, k -> {
                    System.err.println("eval.metrics: " + k);
                    return Boolean.TRUE;
                }));
            }
        }
        return out;
    }

    /**
     * DJL's Trainer updates only parameters its own ParameterStore has handed out; the guided
     * step reads them through the CAM code's store, so one forward through the trainer at the
     * start registers them all.
     */
    private static void registerParameters(Trainer trainer, Shape image) {
        try (NDManager scope = trainer.getManager().newSubManager()) {
            trainer.forward(new NDList(scope.zeros(new Shape(1, image.get(0), image.get(1), image.get(2)))));
        }
    }
}
