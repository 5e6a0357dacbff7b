package io.spotlight.trainer.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.spotlight.cam.CamComputer;
import io.spotlight.cam.CamRequest;
import io.spotlight.cam.CamResult;
import io.spotlight.cam.map.HeadCombiner;
import io.spotlight.cam.method.CamMethods;
import io.spotlight.cam.render.CamGrid;
import io.spotlight.cam.render.HostMaps;
import io.spotlight.cam.target.Targets;
import io.spotlight.trainer.run.HostCombination;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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

    @Test
    void combineMeanAddsAColumnAndARowAtThePeakOfTheHeadsNormalisedMean(@TempDir Path out) throws Exception {
        ExplainResult r = explainCombined("mean-pair.png", 14, HeadCombiner.MEAN, out);
        assertEquals(List.of("left", "right", "combined(mean)"), r.rows().stream().map(ExplainResult.Row::head).toList());
        ExplainResult.Row combined = r.rows().get(2);
        assertEquals(ExplainResult.Row.NO_CLASS, combined.classIndex());
        assertEquals("-", combined.className());
        assertTrue(Double.isNaN(combined.probability()));
        BufferedImage grid = ImageIO.read(out.resolve("mean-pair-grid.png").toFile());
        assertEquals(CamGrid.GAP + 4 * (56 * Explainer.CELL_SCALE + CamGrid.GAP), grid.getWidth(), "input, left, right, combined");
        String line = r.table().lines().filter(l -> l.contains("combined(mean)")).findFirst().orElseThrow();
        assertTrue(line.matches("mean-pair\\.png\\s+combined\\(mean\\)\\s+-\\s+-\\s+\\(\\d+, \\d+\\)\\s*"), line);
    }

    @Test
    void combineConfidenceWeighsEachHeadByItsProbabilityOverTheSum(@TempDir Path out) throws Exception {
        ExplainResult r = explainCombined("conf-pair.png", 15, HeadCombiner.CONFIDENCE, out);
        double left = r.rows().get(0).probability();
        double right = r.rows().get(1).probability();
        ExplainResult.Row combined = r.rows().get(2);
        assertEquals("combined(confidence)", combined.head());
        assertEquals(String.format(java.util.Locale.ROOT, "weights left=%.2f right=%.2f", left / (left + right),
                right / (left + right)), combined.className());
    }

    /**
     * Explains one generated pair image with {@code --combine how} and checks that the combined
     * row's peak is where the host-computed combination of the per-head maps peaks.
     */
    private static ExplainResult explainCombined(String name, long seed, HeadCombiner how, Path out) throws Exception {
        Path pair = TinyRun.writePng(TinyRun.greyImage(56, 28, seed), images.resolve(name));
        Explainer explainer = new Explainer(run, ExplainOptions.defaults().withCombine(how.name().toLowerCase(java.util.Locale.ROOT)));
        ExplainResult r = explainer.explain(List.of(pair), out);
        assertTrue(r.ok(), r.failureReport());
        assertEquals(3, r.rows().size(), "left, right, combined");
        assertPeakOf(expected(pair, explainer.layer(), how), r.rows().get(2));
        return r;
    }

    @Test
    void anUnknownCombinationFailsNamingTheOptionAndTheChoices() {
        ExplainException e = org.junit.jupiter.api.Assertions.assertThrows(ExplainException.class,
                () -> new Explainer(run, ExplainOptions.defaults().withCombine("avg")));
        assertTrue(e.getMessage().startsWith("--combine:") && e.getMessage().contains("none, mean, max or confidence"),
                e.getMessage());
    }

    /** The combined map of {@code image}, from the CAM code's per-head maps, combined on the host. */
    private static float[][] expected(Path image, String layer, HeadCombiner how) throws Exception {
        float[][] grey = GreyImages.read(image, 28, 56);
        float[] flat = new float[28 * 56];
        for (int y = 0; y < 28; y++) {
            System.arraycopy(grey[y], 0, flat, y * 56, 56);
        }
        try (NDManager m = run.model().getNDManager().newSubManager()) {
            CamResult r = new CamComputer(run.camModel()).compute(run.parameters(), m.create(flat, new Shape(1, 1, 28, 56)),
                    Map.of(), CamRequest.builder().layer(layer).method(CamMethods.byName(ExplainOptions.DEFAULT_METHOD))
                            .target(Targets.predicted()).training(false).build());
            return HostCombination.of(r, layer, List.of("left", "right"), 0, how);
        }
    }

    /** The row's peak is where the expected map, upsampled to the input, is largest (to float rounding). */
    private static void assertPeakOf(float[][] expected, ExplainResult.Row row) {
        float[][] up = HostMaps.resizeBilinear(expected, 28, 56);
        float max = 0;
        for (float[] line : up) {
            for (float v : line) {
                max = Math.max(max, v);
            }
        }
        assertTrue(max > 0, "the heads look somewhere");
        assertEquals(max, up[row.peakRow()][row.peakColumn()], 1e-5, "peak at (" + row.peakRow() + ", " + row.peakColumn() + ")");
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
