package io.spotlight.trainer.explain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.spotlight.cam.CamComputer;
import io.spotlight.cam.CamException;
import io.spotlight.cam.CamRequest;
import io.spotlight.cam.CamResult;
import io.spotlight.cam.fullgrad.FullGrad;
import io.spotlight.cam.guided.GuidedBackprop;
import io.spotlight.cam.map.AugSmooth;
import io.spotlight.cam.map.CamMaps;
import io.spotlight.cam.map.LayerCombination;
import io.spotlight.cam.map.HeadCombiner;
import io.spotlight.cam.render.CamGrid;
import io.spotlight.cam.render.HeadCell;
import io.spotlight.cam.render.HeadComposite;
import io.spotlight.cam.render.HostMaps;
import io.spotlight.cam.render.Images;
import io.spotlight.cam.render.Png;
import io.spotlight.cam.target.Targets;
import io.spotlight.trainer.data.Head;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Post-hoc explanations of a trained run: for each input image, every head's CAM for its target
 * class, written as {@code NAME-grid.png} (input, then one labelled overlay per head) and {@code
 * NAME-composite.png} (all heads in one image, one colour each), plus a table row per head. With
 * {@link ExplainOptions#combine} a model with several heads gets one more grid column and table
 * row: the heads' maps combined ({@link HeadCombiner}), named e.g. {@code combined(mean)}.
 *
 * <p>Options are checked when the explainer is made ({@link ExplainException}); a problem with
 * one image only fails that image, and the rest of the batch is still explained.
 *
 * <pre>{@code
 * try (RunModel run = RunModel.load(runDir)) {
 *     ExplainResult r = new Explainer(run, ExplainOptions.defaults().withMethod("scorecam"))
 *             .explain(List.of(Path.of("shirt_label6.png")), outDir);
 * }
 * }</pre>
 */
public final class Explainer {
    /** How many times the input is enlarged in the written images (28 px → 112 px). */
    public static final int CELL_SCALE = 4;

    private final RunModel run;
    private final ExplainSetup setup;
    private final CamComputer computer;
    private final ExplainMetrics metrics;

    /**
     * @throws ExplainException for an unknown method, target, layer or colormap, or a method the
     *     model cannot support at that layer
     */
    public Explainer(RunModel run, ExplainOptions options) {
        this(run, options, null);
    }

    /** @param metrics the metrics to compute per image and head ({@code --metrics}), or null for none */
    public Explainer(RunModel run, ExplainOptions options, ExplainMetrics metrics) {
        this(run, options, metrics, false);
    }

    /**
     * @param augSmooth average the maps over pytorch-grad-cam's test-time augmentations ({@code --aug-smooth})
     */
    public Explainer(RunModel run, ExplainOptions options, ExplainMetrics metrics, boolean augSmooth) {
        this.run = run;
        this.metrics = metrics;
        if (metrics != null) {
            metrics.check(run.imageShape());
        }
        this.setup = new ExplainSetup(run, options, augSmooth);
        this.computer = new CamComputer(run.camModel());
        preflight();
    }

    /** The method's name, with guided backpropagation's and the smoothing's. */
    private String methodName() {
        String name = setup.guided != null ? setup.guided : setup.fullGrad != null ? FullGrad.NAME : setup.method.name();
        return setup.augSmooth ? name + "+aug_smooth" : name;
    }

    /** The layer the maps are taken at, as resolved in the model. */
    public String layer() {
        return setup.layer;
    }

    /**
     * Runs the method once on a blank input, so that what does not depend on the image (a
     * non-spatial layer, a head that does not read the layer, CAM at the wrong layer) fails now,
     * once, instead of once per image.
     */
    private void preflight() {
        Shape s = run.imageShape();
        try (NDManager scope = run.model().getNDManager().newSubManager()) {
            NDArray x = scope.zeros(new Shape(1).addAll(s));
            computer.compute(run.parameters(), x, Map.of(), request(false));
            if (setup.fullGrad != null) {
                for (String head : run.camModel().headNames()) {
                    setup.fullGrad.map(run.parameters(), x, head, scope.zeros(new Shape(1), DataType.INT64));
                }
            }
        } catch (CamException e) {
            throw new ExplainException("--method " + methodName() + " at layer '" + setup.layer + "': " + e.getMessage(), e);
        }
    }

    private CamRequest request(boolean withLabels) {
        return CamRequest.builder().layers(setup.layers).method(setup.method)
                .target(setup.needsLabels && !withLabels ? Targets.predicted() : setup.target)
                .training(false) // eval mode, as the run's snapshots: BatchNorm running statistics, no Dropout
                .build();
    }

    /** Explains every image of {@code inputs} (files, or folders of PNG/JPEG files) into {@code outDir}. */
    public ExplainResult explain(List<Path> inputs, Path outDir) {
        List<Path> files = GreyImages.expand(inputs);
        if (files.isEmpty()) {
            throw new ExplainException("no PNG or JPEG images in " + inputs);
        }
        List<ExplainResult.Row> rows = new ArrayList<>();
        List<ExplainResult.Failure> failures = new ArrayList<>();
        List<Path> written = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Path file : files) {
            String name = uniqueName(file, names);
            try {
                Explained e = explainOne(file, name);
                Path grid = outDir.resolve(name + "-grid.png");
                Path composite = outDir.resolve(name + "-composite.png");
                Png.write(e.grid, grid);
                Png.write(e.composite, composite);
                written.add(grid);
                written.add(composite);
                rows.addAll(e.rows);
            } catch (ImageRejected ex) {
                failures.add(new ExplainResult.Failure(file, ex.getMessage()));
            } catch (CamException ex) {
                failures.add(new ExplainResult.Failure(file, "CAM failed: " + ex.getMessage()));
            } catch (IOException ex) {
                failures.add(new ExplainResult.Failure(file, "cannot write the output images: " + ex.getMessage()));
            } catch (RuntimeException ex) {
                // anything else one image triggers (an engine error, say) must not cost the rest of the batch
                failures.add(new ExplainResult.Failure(file, ex.getClass().getSimpleName() + ": " + ex.getMessage()));
            }
        }
        if (metrics == null) {
            return new ExplainResult(methodName(), setup.layer, rows, failures, written);
        }
        try {
            written.add(metrics.write(outDir, methodName(), setup.layer));
        } catch (IOException ex) {
            throw new ExplainException("cannot write " + outDir.resolve(ExplainMetrics.JSON) + ": " + ex.getMessage(), ex);
        }
        return new ExplainResult(methodName(), setup.layer, rows, failures, written, metrics.names(), metrics.values(),
                metrics.notes());
    }

    private record Explained(List<ExplainResult.Row> rows, BufferedImage grid, BufferedImage composite) {}

    private Explained explainOne(Path file, String name) throws ImageRejected {
        Shape s = run.imageShape();
        int height = (int) s.get(1);
        int width = (int) s.get(2);
        float[][] grey = GreyImages.read(file, height, width);
        List<Head> heads = run.heads();
        Map<String, Integer> labels = FileLabels.parse(file, heads);
        if (setup.needsLabels) {
            checkLabels(labels, heads);
        }
        try (NDManager scope = run.model().getNDManager().newSubManager()) {
            NDArray x = scope.create(flatten(grey), new Shape(1).addAll(s));
            Map<String, NDArray> labelArrays = new HashMap<>();
            labels.forEach((head, k) -> labelArrays.put(head, scope.create(new long[] {k})));
            CamResult r = computer.compute(run.parameters(), x, setup.needsLabels ? labelArrays : Map.of(), request(true));
            List<ExplainResult.Row> rows = new ArrayList<>();
            List<HeadCell> cells = new ArrayList<>();
            List<float[][]> maps = new ArrayList<>();
            Map<String, NDArray> headMaps = new HashMap<>();
            for (Head head : heads) {
                NDArray headMap = headMap(r, head.name(), x, labelArrays);
                headMaps.put(head.name(), headMap);
                NDArray raw = headMap.get(0).toType(DataType.FLOAT32, false);
                // as int64: Targets.fixedClass hands back its class as float32 (NDManager.full widens the long)
                int cls = (int) r.classes(head.name()).toType(DataType.INT64, false).getLong(0);
                double p = r.probabilities(head.name()).toType(DataType.FLOAT64, false).getDouble(0);
                int[] peak = peak(CamMaps.toHostRows(raw), height, width);
                rows.add(new ExplainResult.Row(file, name, head.name(), cls, head.classNames().get(cls), p, peak[0], peak[1]));
                // display as the snapshots do: positive evidence only
                float[][] shown = CamMaps.toHostRows(CamMaps.relu(raw));
                // clamped for the caption only: a float32 softmax can overshoot 1 by an ulp
                cells.add(new HeadCell(head.name(), head.classNames().get(cls), Math.max(0, Math.min(1, p)), shown));
                maps.add(shown);
            }
            if (setup.combine != null) {
                float[][] combined = CamMaps.toHostRows(
                        setup.combine.combine(r, setup.layer, names(heads)).get(0).toType(DataType.FLOAT32, false));
                int[] peak = peak(combined, height, width);
                rows.add(new ExplainResult.Row(file, name, setup.combine.label(), ExplainResult.Row.NO_CLASS,
                        combinedClass(r, heads), Double.NaN, peak[0], peak[1]));
                cells.add(HeadCell.combined(setup.combine.label(), combined));
            }
            if (metrics != null) {
                metrics.add(run, file, name, x, r, headMaps);
            }
            BufferedImage input = Images.fromGray(grey);
            BufferedImage grid = CamGrid.builder().cellScale(CELL_SCALE).colormap(setup.colormap)
                    .addRow(rowLabel(file, labels, heads), input, cells).render();
            BufferedImage composite = HeadComposite.withDefaults().render(Images.upscaleNearest(input, CELL_SCALE), maps);
            return new Explained(rows, grid, composite);
        }
    }

    /**
     * One head's map [B, h, w]: the raw map at the layer, or with several layers or {@code
     * --aug-smooth} their combination at input resolution in [0, 1].
     */
    private NDArray headMap(CamResult r, String head, NDArray x, Map<String, NDArray> labels) {
        if (!setup.derivedMaps()) {
            return r.map(head, setup.layer);
        }
        long h = x.getShape().get(2);
        long w = x.getShape().get(3);
        if (setup.guided != null) {
            // under --aug-smooth every augmented input explains the original input's class, and
            // Guided Grad-CAM's Grad-CAM factor is the augmented input's own
            NDArray classes = r.classes(head).toType(DataType.INT64, false);
            UnaryOperator<NDArray> guided = xi -> {
                NDArray saliency = new GuidedBackprop(run.camModel()).saliency(run.parameters(), xi, head, classes);
                if (setup.guided.equals("guidedbackprop")) {
                    return GuidedBackprop.positiveEvidence(saliency);
                }
                CamResult ri = xi == x ? r : computer.compute(run.parameters(), xi, setup.needsLabels ? labels : Map.of(), request(true));
                return GuidedBackprop.guidedCam(saliency, LayerCombination.mean(ri, head, setup.layers, h, w));
            };
            return setup.augSmooth ? AugSmooth.mean(x, guided) : guided.apply(x);
        }
        if (setup.fullGrad != null) {
            // under --aug-smooth every augmented input explains the original input's class
            NDArray classes = r.classes(head).toType(DataType.INT64, false);
            UnaryOperator<NDArray> fullGrad = xi -> setup.fullGrad.map(run.parameters(), xi, head, classes);
            return setup.augSmooth ? AugSmooth.mean(x, fullGrad) : fullGrad.apply(x);
        }
        if (!setup.augSmooth) {
            return LayerCombination.mean(r, head, setup.layers, h, w);
        }
        return AugSmooth.mean(x, xi -> LayerCombination.mean(
                computer.compute(run.parameters(), xi, setup.needsLabels ? labels : Map.of(), request(true)), head, setup.layers, h, w));
    }

    private static List<String> names(List<Head> heads) {
        return heads.stream().map(Head::name).toList();
    }

    /**
     * The class column of a combined row: no single class; for confidence weighting the weight each
     * head got (its probability over the heads' sum), so the row says which head dominates.
     */
    private String combinedClass(CamResult r, List<Head> heads) {
        if (setup.combine != HeadCombiner.CONFIDENCE) {
            return "-";
        }
        List<NDArray> p = new ArrayList<>();
        heads.forEach(h -> p.add(r.probabilities(h.name())));
        float[] w = HeadCombiner.confidenceWeights(p).toType(DataType.FLOAT32, false).toFloatArray(); // [H, 1]
        StringBuilder text = new StringBuilder("weights");
        for (int h = 0; h < heads.size(); h++) {
            text.append(String.format(java.util.Locale.ROOT, " %s=%.2f", heads.get(h).name(), w[h]));
        }
        return text.toString();
    }

    private static void checkLabels(Map<String, Integer> labels, List<Head> heads) throws ImageRejected {
        for (Head h : heads) {
            Integer k = labels.get(h.name());
            if (k == null) {
                throw new ImageRejected("--target label needs the label of head '" + h.name() + "' in the file name, e.g. NAME_"
                        + FileLabels.ALL_HEADS + "3.png" + (heads.size() > 1 ? " or NAME_" + heads.get(0).name() + "3_"
                        + heads.get(1).name() + "7.png" : "") + "; none found");
            }
            if (k >= h.numClasses()) {
                throw new ImageRejected("label " + k + " from the file name is out of range for head '" + h.name()
                        + "', which has classes 0.." + (h.numClasses() - 1));
            }
        }
    }

    private static String rowLabel(Path file, Map<String, Integer> labels, List<Head> heads) {
        if (labels.size() == 1 && heads.size() == 1) {
            Head h = heads.get(0);
            int k = labels.get(h.name());
            return "label " + (k < h.numClasses() ? h.classNames().get(k) : Integer.toString(k));
        }
        return file.getFileName().toString();
    }

    /** The (row, column) of the map's maximum after bilinear upsampling to the input size; ties: first in row order. */
    static int[] peak(float[][] map, int height, int width) {
        float[][] up = HostMaps.resizeBilinear(map, height, width);
        int[] best = {0, 0};
        float max = Float.NEGATIVE_INFINITY;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                if (up[y][x] > max) {
                    max = up[y][x];
                    best = new int[] {y, x};
                }
            }
        }
        return best;
    }

    /** A unique output stem per input: the file name without extension, or with it if two files share a stem. */
    private static String uniqueName(Path file, Set<String> taken) {
        String fileName = file.getFileName().toString();
        int dot = fileName.lastIndexOf('.');
        String stem = dot <= 0 ? fileName : fileName.substring(0, dot);
        String name = taken.contains(stem) ? fileName.replace('.', '_') : stem;
        for (int i = 2; taken.contains(name); i++) {
            name = stem + "-" + i;
        }
        taken.add(name);
        return name;
    }

    private static float[] flatten(float[][] rows) {
        int w = rows[0].length;
        float[] flat = new float[rows.length * w];
        for (int y = 0; y < rows.length; y++) {
            System.arraycopy(rows[y], 0, flat, y * w, w);
        }
        return flat;
    }
}
