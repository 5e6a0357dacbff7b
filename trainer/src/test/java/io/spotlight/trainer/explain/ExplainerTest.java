package io.spotlight.trainer.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.spotlight.cam.render.CamGrid;
import io.spotlight.trainer.cli.SpotlightCli;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code explain} on a really trained (tiny) run: outputs, the table, every method, bad input. */
class ExplainerTest {
    @TempDir
    static Path runDir;
    @TempDir
    static Path images;

    static RunModel run;
    static List<Path> good;

    @BeforeAll
    static void trainAndLoad() throws Exception {
        TinyRun.train(runDir, "decoy-fmnist");
        run = RunModel.load(runDir);
        good = List.of(
                TinyRun.writePng(TinyRun.greyImage(28, 28, 1), images.resolve("coat_label4.png")),
                TinyRun.writePng(TinyRun.greyImage(28, 28, 2), images.resolve("blob.png")),
                TinyRun.writePng(TinyRun.greyImage(28, 28, 3), images.resolve("third_label0.png")));
    }

    @AfterAll
    static void close() {
        if (run != null) {
            run.close();
        }
    }

    @Test
    void writesAGridAndACompositePerImageAndATableRowPerImageAndHead(@TempDir Path out) throws Exception {
        ExplainResult r = new Explainer(run, ExplainOptions.defaults()).explain(good, out);
        assertTrue(r.ok(), r.failureReport());
        assertEquals("gradcam", r.method());
        assertEquals("trunk/0", r.layer(), "the run's snapshot.layer alias conv1, resolved");
        assertEquals(good.size() * run.heads().size(), r.rows().size());
        int cell = 28 * Explainer.CELL_SCALE;
        for (Path image : good) {
            String stem = image.getFileName().toString().replace(".png", "");
            BufferedImage grid = ImageIO.read(out.resolve(stem + "-grid.png").toFile());
            assertEquals(CamGrid.GAP + 2 * (cell + CamGrid.GAP), grid.getWidth(), "input + one head column");
            assertEquals(CamGrid.HEADER_HEIGHT + cell + CamGrid.LABEL_HEIGHT + CamGrid.GAP, grid.getHeight());
            BufferedImage composite = ImageIO.read(out.resolve(stem + "-composite.png").toFile());
            assertEquals(cell, composite.getWidth());
            assertEquals(cell, composite.getHeight());
        }
        assertEquals(2 * good.size(), r.written().size());
        // probabilities are the softmax of the model's own logits for each image, of the predicted class
        for (int i = 0; i < good.size(); i++) {
            ExplainResult.Row row = r.rows().get(i);
            assertEquals(good.get(i), row.image());
            assertEquals("label", row.head());
            float[] p = softmax(good.get(i));
            int argmax = 0;
            for (int k = 1; k < p.length; k++) {
                argmax = p[k] > p[argmax] ? k : argmax;
            }
            assertEquals(argmax, row.classIndex(), "target pred explains the predicted class");
            assertEquals(p[argmax], row.probability(), 1e-5);
            assertTrue(row.probability() >= 0 && row.probability() <= 1);
            assertEquals(run.heads().get(0).classNames().get(argmax), row.className());
            assertTrue(row.peakRow() >= 0 && row.peakRow() < 28 && row.peakColumn() >= 0 && row.peakColumn() < 28);
        }
        String table = r.table();
        assertTrue(table.startsWith("image") && table.contains("peak (row, col)") && table.contains("coat_label4.png"), table);
    }

    /** The model's class probabilities for one image, computed here without the CAM code. */
    private static float[] softmax(Path image) throws Exception {
        float[][] grey = GreyImages.read(image, 28, 28);
        float[] flat = new float[28 * 28];
        for (int y = 0; y < 28; y++) {
            System.arraycopy(grey[y], 0, flat, y * 28, 28);
        }
        try (NDManager m = run.model().getNDManager().newSubManager()) {
            NDArray x = m.create(flat, new Shape(1, 1, 28, 28));
            NDList logits = run.built().block().forward(run.parameters(), new NDList(x), false);
            return logits.get(0).softmax(1).toType(DataType.FLOAT32, false).toFloatArray();
        }
    }

    @Test
    void aOneHeadModelGetsNoCombinedColumnOrRow(@TempDir Path out) throws Exception {
        ExplainResult r = new Explainer(run, ExplainOptions.defaults().withCombine("mean")).explain(good.subList(0, 1), out);
        assertEquals(List.of("label"), r.rows().stream().map(ExplainResult.Row::head).toList(), "one head's combination is itself");
        BufferedImage grid = ImageIO.read(out.resolve("coat_label4-grid.png").toFile());
        assertEquals(CamGrid.GAP + 2 * (28 * Explainer.CELL_SCALE + CamGrid.GAP), grid.getWidth());
    }

    @Test
    void everyMethodWorksPostHocIncludingScoreCam(@TempDir Path out) {
        for (String method : List.of("gradcam", "gradcam++", "xgradcam", "layercam", "hirescam", "scorecam")) {
            for (String layer : List.of("conv1", "conv2")) {
                ExplainResult r = new Explainer(run, ExplainOptions.defaults().withMethod(method).withLayer(layer))
                        .explain(good.subList(0, 1), out.resolve(method + "-" + layer));
                assertTrue(r.ok(), method + " at " + layer + ": " + r.failureReport());
                assertEquals(1, r.rows().size(), method);
                assertTrue(Files.isRegularFile(r.written().get(0)), method);
            }
        }
    }

    @Test
    void camNeedsAGapLinearHeadAndSaysSoForTheSmallCnn() {
        ExplainException e = assertThrows(ExplainException.class,
                () -> new Explainer(run, ExplainOptions.defaults().withMethod("cam").withLayer("features")));
        assertTrue(e.getMessage().contains("--method cam needs every head to be global average pooling + one Linear layer"), e.getMessage());
        assertTrue(e.getMessage().contains("head 'label' has 2 Linear layers"), e.getMessage());
    }

    @Test
    void targetLabelComesFromTheFileNameAndAFileWithoutOneFails(@TempDir Path out) throws Exception {
        ExplainResult r = new Explainer(run, ExplainOptions.defaults().withTarget("label")).explain(good, out);
        assertEquals(2, r.rows().size());
        assertEquals(4, r.rows().get(0).classIndex());
        assertEquals("Coat", r.rows().get(0).className());
        assertEquals(0, r.rows().get(1).classIndex());
        assertEquals(1, r.failures().size());
        assertEquals(good.get(1), r.failures().get(0).image());
        assertTrue(r.failures().get(0).reason().contains("--target label needs the label of head 'label' in the file name"),
                r.failures().get(0).reason());
        ExplainResult fixed = new Explainer(run, ExplainOptions.defaults().withTarget("7")).explain(good.subList(1, 2), out);
        assertEquals(7, fixed.rows().get(0).classIndex());
        assertEquals(softmax(good.get(1))[7], fixed.rows().get(0).probability(), 1e-5);
    }

    @Test
    void badImagesAreListedWithTheirReasonAndTheGoodOnesAreStillWritten(@TempDir Path in, @TempDir Path out) throws Exception {
        TinyRun.writePng(TinyRun.greyImage(28, 28, 4), in.resolve("a-good.png"));
        Files.write(in.resolve("b-broken.png"), new byte[] {1, 2, 3, 4, 5});
        TinyRun.writePng(TinyRun.greyImage(32, 32, 5), in.resolve("c-big.png"));
        BufferedImage translucent = new BufferedImage(28, 28, BufferedImage.TYPE_INT_ARGB);
        translucent.getGraphics().drawImage(TinyRun.greyImage(28, 28, 9), 0, 0, null); // opaque everywhere
        translucent.setRGB(3, 2, 0x80FFFFFF);
        TinyRun.writePng(translucent, in.resolve("d-alpha.png"));
        TinyRun.writePng(TinyRun.greyImage(28, 28, 6), in.resolve("e-good.png"));
        Files.writeString(in.resolve("notes.txt"), "not an image: folders take .png/.jpg/.jpeg only");

        ExplainResult r = new Explainer(run, ExplainOptions.defaults()).explain(List.of(in), out);
        assertFalse(r.ok());
        assertEquals(List.of("a-good.png", "e-good.png"), r.rows().stream().map(x -> x.image().getFileName().toString()).toList());
        assertTrue(Files.isRegularFile(out.resolve("a-good-grid.png")) && Files.isRegularFile(out.resolve("e-good-composite.png")));
        assertEquals(3, r.failures().size(), r.failureReport());
        Map<String, String> reasons = new java.util.HashMap<>();
        r.failures().forEach(f -> reasons.put(f.image().getFileName().toString(), f.reason()));
        assertTrue(reasons.get("b-broken.png").startsWith("cannot decode image"), reasons.toString());
        assertTrue(reasons.get("c-big.png").contains("32x32") && reasons.get("c-big.png").contains("28x28"), reasons.toString());
        assertTrue(reasons.get("d-alpha.png").contains("transparent pixels (first at column 3, row 2)"), reasons.toString());
        assertTrue(r.failureReport().contains("b-broken.png: cannot decode image"), r.failureReport());
        assertFalse(Files.exists(out.resolve("b-broken-grid.png")));
    }

    @Test
    void unknownMethodLayerTargetOrColormapFailFastNamingTheCulpritAndTheChoices() {
        ExplainException m = assertThrows(ExplainException.class,
                () -> new Explainer(run, ExplainOptions.defaults().withMethod("gradkam")));
        assertTrue(m.getMessage().contains("'gradkam'") && m.getMessage().contains("scorecam") && m.getMessage().contains("gradcam++"),
                m.getMessage());
        ExplainException l = assertThrows(ExplainException.class,
                () -> new Explainer(run, ExplainOptions.defaults().withLayer("conv9")));
        assertTrue(l.getMessage().contains("'conv9'") && l.getMessage().contains("conv1=trunk/0"), l.getMessage());
        ExplainException flat = assertThrows(ExplainException.class,
                () -> new Explainer(run, ExplainOptions.defaults().withLayer("label/1")));
        assertTrue(flat.getMessage().contains("label/1") && flat.getMessage().contains("[batch, channels, height, width]"),
                flat.getMessage());
        ExplainException t = assertThrows(ExplainException.class,
                () -> new Explainer(run, ExplainOptions.defaults().withTarget("best")));
        assertTrue(t.getMessage().contains("'best'") && t.getMessage().contains("pred, label"), t.getMessage());
        ExplainException k = assertThrows(ExplainException.class,
                () -> new Explainer(run, ExplainOptions.defaults().withTarget("10")));
        assertTrue(k.getMessage().contains("class 10 is out of range"), k.getMessage());
        ExplainException c = assertThrows(ExplainException.class,
                () -> new Explainer(run, ExplainOptions.defaults().withColormap("plasma")));
        assertTrue(c.getMessage().contains("'plasma'") && c.getMessage().contains("viridis"), c.getMessage());
    }

    @Test
    void aRunDirectoryWithoutItsConfigOrModelFailsNamingTheMissingFile(@TempDir Path empty) throws Exception {
        ExplainException noConfig = assertThrows(ExplainException.class, () -> RunModel.load(empty));
        assertTrue(noConfig.getMessage().contains(empty.resolve("config.conf").toString()), noConfig.getMessage());
        Files.copy(runDir.resolve("config.conf"), empty.resolve("config.conf"));
        ExplainException noModel = assertThrows(ExplainException.class, () -> RunModel.load(empty));
        assertTrue(noModel.getMessage().contains(empty.resolve("model/model-0000.params").toString()), noModel.getMessage());
    }

    @Test
    void weightsThatDoNotFitTheConfigsModelAreRejectedOnLoad(@TempDir Path other) throws Exception {
        Files.writeString(other.resolve("config.conf"),
                Files.readString(runDir.resolve("config.conf")) + "\nmodel.channels = [8, 16]\n");
        Files.createDirectories(other.resolve("model"));
        Files.copy(runDir.resolve("model/model-0000.params"), other.resolve("model/model-0000.params"));
        ExplainException e = assertThrows(ExplainException.class, () -> RunModel.load(other));
        assertTrue(e.getMessage().contains("cannot load") && e.getMessage().contains("model-0000.params"), e.getMessage());
    }

    @Test
    void theCommandPrintsTheTableAndExitsNonZeroWhenAnImageFailed(@TempDir Path in, @TempDir Path out) throws Exception {
        Path ok = TinyRun.writePng(TinyRun.greyImage(28, 28, 7), in.resolve("ok.png"));
        Path big = TinyRun.writePng(TinyRun.greyImage(28, 56, 8), in.resolve("wide.png"));
        List<String> base = new ArrayList<>(List.of("explain", "--model", runDir.toString(), "--out", out.toString(),
                "--method", "scorecam", "--colormap", "viridis", "--images"));
        List<String> good = new ArrayList<>(base);
        good.add(ok.toString());
        assertEquals(0, new CommandLine(new SpotlightCli()).execute(good.toArray(String[]::new)));
        List<String> mixed = new ArrayList<>(good);
        mixed.add(big.toString());
        assertEquals(1, new CommandLine(new SpotlightCli()).execute(mixed.toArray(String[]::new)));
        assertTrue(Files.isRegularFile(out.resolve("ok-grid.png")));
    }
}
