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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Renders the same probe images (the first test samples) every {@code snapshot.every} steps and
 * after each epoch, in eval mode, explaining each head's predicted class, so the images show how
 * the model's attention evolves. Each snapshot is published as
 * <ul>
 *   <li>{@code cams_<head>}, one per head: a compact card of the probe images, input next to its
 *       overlay, captioned with the true label and the explained class and its probability, sized
 *       so that the MLflow UI's image card (one image per key and step, with a step slider) shows
 *       it readably;
 *   <li>{@value #COMBINED_KEY} on a model with several heads ({@code snapshot.combine}): the same
 *       card of the heads' combined map;
 *   <li>{@value #KEY}: the full grid of every sample and head in one image (the only key before
 *       per-head cards; kept for one release, then dropped: too tall for MLflow's card).
 * </ul>
 * Beside each full grid go its raw per-head maps ({@link SnapshotMaps}), from which {@code ./spotlight
 * view} redraws them.
 */
public final class CamSnapshotListener extends SpotlightListener {
    /** The full grid's key (deprecated: kept for one release next to the per-head cards). */
    public static final String KEY = "cams";
    /** Prefix of the per-head cards' keys: {@code cams_<head>}. */
    public static final String HEAD_KEY_PREFIX = "cams_";
    /** The key of the combined map's card (several heads only). */
    public static final String COMBINED_KEY = "cams_combined";
    /** How many times a card enlarges the probe images (the full grid: CamGrid's default, 4). */
    static final int CARD_SCALE = 3;
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
        renderAll(run, maps -> maps.at(step).write(SnapshotMaps.besidePng(png)))
                .forEach((key, image) -> run.images().publish(key, step, Png.toBytes(image)));
    }

    /** The full grid for the probe images with the current parameters. */
    public static BufferedImage render(RunContext run) {
        return renderAll(run, null).get(KEY);
    }

    /** Every image of one snapshot by key: the full grid ({@value #KEY}), then the cards. */
    public static Map<String, BufferedImage> renderAll(RunContext run) {
        return renderAll(run, null);
    }

    /** The same, and the grid's raw maps handed to {@code rawMaps} when that is not null. */
    static Map<String, BufferedImage> renderAll(RunContext run, Consumer<SnapshotMaps> rawMaps) {
        Cfg cfg = run.config().cfg();
        AbstractGuidedDataset test = run.datasets().tests().get(DatasetFactory.MAIN_TEST);
        int n = (int) Math.min(cfg.getInt("snapshot.samples", 1, 64), test.size());
        String layer = run.built().layer(cfg.getString("snapshot.layer"));
        List<Head> heads = test.heads();
        try (NDManager scope = run.parameters().getManager().newSubManager()) {
            Shape shape = test.imageShape();
            float[] pixels = new float[(int) (n * shape.size())];
            List<BufferedImage> inputs = new ArrayList<>();
            List<int[]> labels = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                GuidedSample s = test.sample(i);
                inputs.add(image(s));
                labels.add(s.labels());
                System.arraycopy(s.image(), 0, pixels, (int) (i * shape.size()), (int) shape.size());
            }
            NDArray x = scope.create(pixels, new Shape(n, shape.get(0), shape.get(1), shape.get(2))).toDevice(run.device(), false);
            CamResult r = new CamComputer(run.model()).compute(run.parameters(), x, Map.of(), CamRequest.builder()
                    .layer(layer).method(CamMethods.byName(cfg.getString("snapshot.method")))
                    .target(Targets.predicted()).training(false).build());
            HeadCombiner combine = combiner(cfg).orElse(null);
            Colormap colormap = Colormaps.byName(cfg.getString("snapshot.colormap"));
            Map<String, BufferedImage> images = new LinkedHashMap<>();
            List<String> firstHeadLabels = labels.stream().map(l -> "label " + heads.get(0).classNames().get(l[0])).toList();
            if (rawMaps != null) {
                rawMaps.accept(SnapshotMaps.of(r, layer, heads, inputs, firstHeadLabels, Map.of(
                        "method", cfg.getString("snapshot.method"), "layer", cfg.getString("snapshot.layer"),
                        "combine", cfg.getString(COMBINE), "colormap", cfg.getString("snapshot.colormap"))));
            }
            images.put(KEY, grid(r, layer, heads, inputs, firstHeadLabels, combine, colormap));
            List<List<HeadCell>> cells = cells(r, layer, heads, inputs.size(), combine);
            for (int h = 0; h < heads.size(); h++) {
                Head head = heads.get(h);
                int index = h;
                List<String> truth = labels.stream().map(l -> "label " + head.classNames().get(l[index])).toList();
                images.put(HEAD_KEY_PREFIX + head.name(), card(inputs, truth, cells.stream().map(c -> c.get(index)).toList(), colormap));
            }
            if (cells.get(0).size() > heads.size()) {
                images.put(COMBINED_KEY, card(inputs, firstHeadLabels.stream().map(l -> "").toList(),
                        cells.stream().map(c -> c.get(heads.size())).toList(), colormap));
            }
            return images;
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
        List<List<HeadCell>> cells = cells(r, layer, heads, inputs.size(), combine);
        CamGrid.Builder grid = CamGrid.builder().colormap(colormap);
        for (int i = 0; i < inputs.size(); i++) {
            grid.addRow(rowLabels.get(i), inputs.get(i), cells.get(i));
        }
        return grid.render();
    }

    /**
     * One card: every probe image as an (input, overlay) pair, the pairs in as many columns as
     * make the card closest to square. MLflow's image card shows an image in a square box as wide
     * as the card, so a square card uses all of it (a strip of 6 pairs would fill a sixth); cells
     * are enlarged {@value #CARD_SCALE} times, so that 6 Fashion-MNIST probes make a card of about
     * 360 px, the width of a card in a three-card row (captions then show at their size).
     */
    public static BufferedImage card(List<BufferedImage> inputs, List<String> rowLabels, List<HeadCell> cells, Colormap colormap) {
        int perColumn = pairsPerColumn(inputs.size(), inputs.get(0).getWidth(), inputs.get(0).getHeight());
        List<BufferedImage> columns = new ArrayList<>();
        for (int from = 0; from < inputs.size(); from += perColumn) {
            CamGrid.Builder column = CamGrid.builder().colormap(colormap).cellScale(CARD_SCALE);
            for (int i = from; i < Math.min(inputs.size(), from + perColumn); i++) {
                column.addRow(rowLabels.get(i), inputs.get(i), List.of(cells.get(i)));
            }
            columns.add(column.render());
        }
        return Images.sideBySide(columns, CamGrid.GAP);
    }

    /** How many (input, overlay) pairs to stack per column so that the card is nearest to square. */
    static int pairsPerColumn(int pairs, int inputWidth, int inputHeight) {
        double pairWidth = 2 * (inputWidth * CARD_SCALE + CamGrid.GAP) + CamGrid.GAP;
        double pairHeight = inputHeight * CARD_SCALE + CamGrid.LABEL_HEIGHT + CamGrid.GAP;
        int best = pairs;
        double bestDistance = Double.MAX_VALUE;
        for (int perColumn = 1; perColumn <= pairs; perColumn++) {
            int columns = (pairs + perColumn - 1) / perColumn;
            double aspect = columns * pairWidth / (CamGrid.HEADER_HEIGHT + perColumn * pairHeight);
            double distance = Math.abs(Math.log(aspect));
            if (distance < bestDistance) {
                best = perColumn;
                bestDistance = distance;
            }
        }
        return best;
    }

    /**
     * Per sample, one cell per head captioned with the explained class and its probability, and,
     * for a model with several heads and a {@code combine} that is not null, a last cell with the
     * heads' combined map.
     */
    private static List<List<HeadCell>> cells(CamResult r, String layer, List<Head> heads, int samples, HeadCombiner combine) {
        List<String> names = heads.stream().map(Head::name).toList();
        NDArray combined = combine != null && heads.size() > 1 ? combine.combine(r, layer, names) : null;
        List<List<HeadCell>> rows = new ArrayList<>();
        for (int i = 0; i < samples; i++) {
            List<HeadCell> cells = new ArrayList<>();
            for (Head head : heads) {
                cells.add(headCell(r, layer, head, i));
            }
            if (combined != null) {
                cells.add(HeadCell.combined(combine.label(),
                        CamMaps.toHostRows(combined.get(i).toType(DataType.FLOAT32, false))));
            }
            rows.add(cells);
        }
        return rows;
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
