package io.spotlight.trainer.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.spotlight.cam.render.CamGrid;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A two-head model (two-item-fmnist, 1×28×56): one table row and one grid column per head. */
class TwoHeadExplainTest {
    @TempDir
    static Path runDir;
    @TempDir
    static Path images;

    static RunModel run;

    @BeforeAll
    static void trainAndLoad() throws Exception {
        TinyRun.train(runDir, "two-item-fmnist");
        run = RunModel.load(runDir);
    }

    @AfterAll
    static void close() {
        if (run != null) {
            run.close();
        }
    }

    @Test
    void eachHeadGetsItsRowItsColumnAndItsOwnLabel(@TempDir Path out) throws Exception {
        assertEquals(List.of("left", "right"), run.heads().stream().map(h -> h.name()).toList());
        assertEquals(new Shape(1, 28, 56), run.imageShape());
        Path pair = TinyRun.writePng(TinyRun.greyImage(56, 28, 11), images.resolve("pair_left3_right7.png"));
        Path single = TinyRun.writePng(TinyRun.greyImage(28, 28, 12), images.resolve("single_label1.png"));
        for (String layer : List.of("conv1", "features")) { // per-head groups, and the trunk output's per-head views
            ExplainResult r = new Explainer(run, ExplainOptions.defaults().withTarget("label").withLayer(layer))
                    .explain(List.of(pair, single), out);
            assertEquals(2, r.rows().size(), layer);
            assertEquals("left", r.rows().get(0).head());
            assertEquals(3, r.rows().get(0).classIndex());
            assertEquals("right", r.rows().get(1).head());
            assertEquals(7, r.rows().get(1).classIndex());
            float[][] p = softmax(pair);
            assertEquals(p[0][3], r.rows().get(0).probability(), 1e-5);
            assertEquals(p[1][7], r.rows().get(1).probability(), 1e-5);
            assertTrue(r.rows().get(1).peakColumn() < 56 && r.rows().get(1).peakRow() < 28);
            assertEquals(1, r.failures().size());
            assertTrue(r.failures().get(0).reason().contains("28x28") && r.failures().get(0).reason().contains("56x28"),
                    r.failures().get(0).reason());
        }
        int cellW = 56 * Explainer.CELL_SCALE;
        int cellH = 28 * Explainer.CELL_SCALE;
        BufferedImage grid = ImageIO.read(out.resolve("pair_left3_right7-grid.png").toFile());
        assertEquals(CamGrid.GAP + 3 * (cellW + CamGrid.GAP), grid.getWidth(), "input + left + right");
        assertEquals(CamGrid.HEADER_HEIGHT + cellH + CamGrid.LABEL_HEIGHT + CamGrid.GAP, grid.getHeight());
        BufferedImage composite = ImageIO.read(out.resolve("pair_left3_right7-composite.png").toFile());
        assertEquals(cellW, composite.getWidth());
        assertEquals(cellH, composite.getHeight());
    }

    @Test
    void scoreCamExplainsBothHeads(@TempDir Path out) throws Exception {
        Path pair = TinyRun.writePng(TinyRun.greyImage(56, 28, 13), images.resolve("pair.png"));
        ExplainResult r = new Explainer(run, ExplainOptions.defaults().withMethod("scorecam")).explain(List.of(pair), out);
        assertTrue(r.ok(), r.failureReport());
        assertEquals(List.of("left", "right"), r.rows().stream().map(ExplainResult.Row::head).toList());
    }

    private static float[][] softmax(Path image) throws Exception {
        float[][] grey = GreyImages.read(image, 28, 56);
        float[] flat = new float[28 * 56];
        for (int y = 0; y < 28; y++) {
            System.arraycopy(grey[y], 0, flat, y * 56, 56);
        }
        try (NDManager m = run.model().getNDManager().newSubManager()) {
            NDList logits = run.built().block().forward(run.parameters(), new NDList(m.create(flat, new Shape(1, 1, 28, 56))), false);
            float[][] p = new float[logits.size()][];
            for (int h = 0; h < logits.size(); h++) {
                NDArray s = logits.get(h).softmax(1).toType(DataType.FLOAT32, false);
                p[h] = s.toFloatArray();
            }
            return p;
        }
    }
}
