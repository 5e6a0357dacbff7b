package io.spotlight.trainer.run;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.spotlight.cam.CamComputer;
import io.spotlight.cam.CamRequest;
import io.spotlight.cam.CamResult;
import io.spotlight.cam.map.CamMaps;
import io.spotlight.cam.method.CamMethods;
import io.spotlight.cam.render.CamGrid;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Renders the same probe images (the first test samples) as a per-head CAM grid every {@code
 * snapshot.every} steps and after each epoch, in eval mode, explaining each head's predicted
 * class, so the grids show how the model's attention evolves.
 */
public final class CamSnapshotListener extends SpotlightListener {
    public static final String KEY = "cams";

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
        run.images().publish(KEY, step, Png.toBytes(render(run)));
    }

    /** The grid for the probe images with the current parameters. */
    public static BufferedImage render(RunContext run) {
        Cfg cfg = run.config().cfg();
        AbstractGuidedDataset test = run.datasets().tests().get(DatasetFactory.MAIN_TEST);
        int n = (int) Math.min(cfg.getInt("snapshot.samples", 1, 64), test.size());
        String layer = run.built().layer(cfg.getString("snapshot.layer"));
        List<Head> heads = test.heads();
        try (NDManager scope = run.parameters().getManager().newSubManager()) {
            Shape shape = test.imageShape();
            float[] pixels = new float[(int) (n * shape.size())];
            List<GuidedSample> samples = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                GuidedSample s = test.sample(i);
                samples.add(s);
                System.arraycopy(s.image(), 0, pixels, (int) (i * shape.size()), (int) shape.size());
            }
            NDArray x = scope.create(pixels, new Shape(n, shape.get(0), shape.get(1), shape.get(2))).toDevice(run.device(), false);
            CamResult r = new CamComputer(run.model()).compute(run.parameters(), x, Map.of(), CamRequest.builder()
                    .layer(layer).method(CamMethods.byName(cfg.getString("snapshot.method")))
                    .target(Targets.predicted()).training(false).build());
            CamGrid.Builder grid = CamGrid.builder().colormap(Colormaps.byName(cfg.getString("snapshot.colormap")));
            for (int i = 0; i < n; i++) {
                List<HeadCell> cells = new ArrayList<>();
                for (int h = 0; h < heads.size(); h++) {
                    String head = heads.get(h).name();
                    NDArray m = CamMaps.relu(r.map(head, layer).get(i)).toType(DataType.FLOAT32, false);
                    int cls = (int) r.classes(head).get(i).getLong();
                    double p = r.probabilities(head).get(i).toType(DataType.FLOAT64, false).getDouble();
                    cells.add(new HeadCell(head, heads.get(h).classNames().get(cls), p, CamMaps.toHostRows(m)));
                }
                grid.addRow("label " + heads.get(0).classNames().get(samples.get(i).labels()[0]), image(samples.get(i)), cells);
            }
            return grid.render();
        }
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
