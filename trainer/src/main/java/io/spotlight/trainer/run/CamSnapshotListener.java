package io.spotlight.trainer.run;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.spotlight.cam.CamComputer;
import io.spotlight.cam.CamRequest;
import io.spotlight.cam.CamResult;
import io.spotlight.cam.map.CamMaps;
import io.spotlight.cam.map.HeadCombiner;
import io.spotlight.cam.method.CamMethods;
import io.spotlight.cam.render.CamGrid;
import io.spotlight.cam.render.Colormap;
import io.spotlight.cam.render.Colormaps;
import io.spotlight.cam.render.HeadCell;
import io.spotlight.cam.render.Images;
import io.spotlight.cam.render.Png;
import io.spotlight.cam.target.Targets;
import io.spotlight.trainer.config.Cfg;
import io.spotlight.trainer.data.AbstractGuidedDataset;
import io.spotlight.trainer.data.GuidedSample;
import io.spotlight.trainer.data.Head;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Renders the same probe images (the first test samples) as a per-head CAM grid every {@code
 * snapshot.every} steps and after each epoch, in eval mode, explaining each head's predicted
 * class, so the grids show how the model's attention evolves. A model with several heads gets a
 * last column with the heads' combined map ({@code snapshot.combine}). Beside each grid go its raw
 * per-head maps ({@link SnapshotMaps}), from which {@code ./spotlight view} redraws them.
 */
public final class CamSnapshotListener extends SpotlightListener {
    public static final String KEY = "cams";
    /** The config key naming the head combination shown after the per-head overlays. */
    public static final String COMBINE = "snapshot.combine";
    private static final Set<String> COMBINE_CHOICES = Stream.concat(Stream.of(HeadCombiner.NONE),
            Arrays.stream(HeadCombiner.values()).map(c -> c.name().toLowerCase(Locale.ROOT))).collect(Collectors.toUnmodifiableSet());

    @Override
    public void onStep(RunContext run, long step, Map<String, Double> metrics) {
        int every = run.config().cfg().getInt("snapshot.every", 0, Integer.MAX_VALUE);
        // logged steps are the only ones onStep sees, so a snapshot falls on the first logged step past each multiple
        if (every > 0 && step % every < run.config().cfg().getInt("log.every", 1, 1 << 20)) {
            snapshot(run, step);
        }
    }

    @Override
    public void onEvaluation(RunContext run, int epoch, long step, Map<String, Double> metrics) {
        snapshot(run, step);
    }

    private void snapshot(RunContext run, long step) {
        // the raw maps first: once the PNG is there, a viewer may look for them
        Path png = RunFilesListener.snapshotFile(run.runDir(), KEY, step);
        BufferedImage grid = render(run, maps -> maps.at(step).write(SnapshotMaps.besidePng(png)));
        run.images().publish(KEY, step, Png.toBytes(grid));
    }

    /** The grid for the probe images with the current parameters. */
    public static BufferedImage render(RunContext run) {
        return render(run, null);
    }

    /** The grid, and its raw maps handed to {@code rawMaps} when that is not null. */
    static BufferedImage render(RunContext run, Consumer<SnapshotMaps> rawMaps) {
        Cfg cfg = run.config().cfg();
        AbstractGuidedDataset test = run.datasets().tests().get(DatasetFactory.MAIN_TEST);
        int n = (int) Math.min(cfg.getInt("snapshot.samples", 1, 64), test.size());
        String layer = run.built().layer(cfg.getString("snapshot.layer"));
        List<Head> heads = test.heads();
        try (NDManager scope = run.parameters().getManager().newSubManager()) {
            Shape shape = test.imageShape();
            float[] pixels = new float[(int) (n * shape.size())];
            List<BufferedImage> inputs = new ArrayList<>();
            List<String> rowLabels = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                GuidedSample s = test.sample(i);
                inputs.add(image(s));
                rowLabels.add("label " + heads.get(0).classNames().get(s.labels()[0]));
                System.arraycopy(s.image(), 0, pixels, (int) (i * shape.size()), (int) shape.size());
            }
            NDArray x = scope.create(pixels, new Shape(n, shape.get(0), shape.get(1), shape.get(2))).toDevice(run.device(), false);
            CamResult r = new CamComputer(run.model()).compute(run.parameters(), x, Map.of(), CamRequest.builder()
                    .layer(layer).method(CamMethods.byName(cfg.getString("snapshot.method")))
                    .target(Targets.predicted()).training(false).build());
            if (rawMaps != null) {
                rawMaps.accept(SnapshotMaps.of(r, layer, heads, inputs, rowLabels, Map.of(
                        "method", cfg.getString("snapshot.method"), "layer", cfg.getString("snapshot.layer"),
                        "combine", cfg.getString(COMBINE), "colormap", cfg.getString("snapshot.colormap"))));
            }
            return grid(r, layer, heads, inputs, rowLabels, combiner(cfg).orElse(null),
                    Colormaps.byName(cfg.getString("snapshot.colormap")));
        }
    }

    /**
     * {@code snapshot.combine}: the head combination of the grids' last column, or empty for
     * {@code none}; a value that is none of these fails naming the key (also in {@link RunPreflight}).
     */
    public static Optional<HeadCombiner> combiner(Cfg cfg) {
        return HeadCombiner.byNameOrNone(cfg.getStringIn(COMBINE, COMBINE_CHOICES));
    }

    /**
     * The grid of one batch's maps {@code r} at {@code layer}: per sample its input, one overlay per
     * head captioned with the explained class and its probability, and, for a model with several
     * heads and a {@code combine} that is not null, a last column with the heads' combined map
     * ({@link HeadCombiner#combine(CamResult, String, List)}: each head's map over its own maximum,
     * then combined). One head's combination would be that head again, so it gets no column.
     */
    public static BufferedImage grid(CamResult r, String layer, List<Head> heads, List<BufferedImage> inputs,
            List<String> rowLabels, HeadCombiner combine, Colormap colormap) {
        List<String> names = heads.stream().map(Head::name).toList();
        NDArray combined = combine != null && heads.size() > 1 ? combine.combine(r, layer, names) : null;
        CamGrid.Builder grid = CamGrid.builder().colormap(colormap);
        for (int i = 0; i < inputs.size(); i++) {
            List<HeadCell> cells = new ArrayList<>();
            for (Head head : heads) {
                cells.add(headCell(r, layer, head, i));
            }
            if (combined != null) {
                cells.add(HeadCell.combined(combine.label(),
                        CamMaps.toHostRows(combined.get(i).toType(DataType.FLOAT32, false))));
            }
            grid.addRow(rowLabels.get(i), inputs.get(i), cells);
        }
        return grid.render();
    }

    /** Sample {@code i}'s ReLU'd map of {@code head}, with the explained class and its probability. */
    static HeadCell headCell(CamResult r, String layer, Head head, int i) {
        NDArray m = CamMaps.relu(r.map(head.name(), layer).get(i)).toType(DataType.FLOAT32, false);
        int cls = (int) r.classes(head.name()).get(i).getLong();
        double p = r.probabilities(head.name()).get(i).toType(DataType.FLOAT64, false).getDouble();
        // clamped: a float32 softmax can overshoot 1 by an ulp, which HeadCell rejects
        return new HeadCell(head.name(), head.classNames().get(cls), Math.min(1, p), CamMaps.toHostRows(m));
    }

    private static BufferedImage image(GuidedSample s) {
        int h = (int) s.imageShape().get(1);
        int w = (int) s.imageShape().get(2);
        float[][] rows = new float[h][w];
        for (int y = 0; y < h; y++) {
            System.arraycopy(s.image(), y * w, rows[y], 0, w);
        }
        return Images.fromGray(rows);
    }
}
