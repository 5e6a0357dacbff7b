package io.spotlight.trainer.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spotlight.cam.metric.CamMetrics;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code explain --metrics} on a really trained tiny run, and the metrics its evaluation logged
 * after its epoch ({@code eval.metrics}).
 */
class ExplainMetricsTest {
    private static final List<Double> ROAD = List.of(10.0, 50.0, 90.0);
    @TempDir
    static Path runDir;
    @TempDir
    static Path images;
    static RunModel run;
    static List<Path> files;

    @BeforeAll
    static void trainAndLoad() throws Exception {
        TinyRun.train(runDir, "decoy-fmnist");
        run = RunModel.load(runDir);
        files = List.of(
                TinyRun.writePng(TinyRun.greyImage(28, 28, 1), images.resolve("a.png")),
                TinyRun.writePng(TinyRun.greyImage(28, 28, 2), images.resolve("b.png")));
    }

    @AfterAll
    static void close() {
        if (run != null) {
            run.close();
        }
    }

    private static BufferedImage constant(int value) {
        BufferedImage m = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                m.getRaster().setSample(x, y, 0, value);
            }
        }
        return m;
    }

    @Test
    void withoutMasksTheFaithfulnessMetricsAreComputedAndTheTableSaysWhyTheOthersAreNot(@TempDir Path out) throws Exception {
        ExplainMetrics metrics = new ExplainMetrics(List.of("all"), 8, "mean", ROAD, null);
        ExplainResult r = new Explainer(run, ExplainOptions.defaults(), metrics).explain(files, out);
        assertTrue(r.ok(), r.failureReport());
        assertEquals(CamMetrics.NAMES, r.metricNames());
        String table = r.table();
        assertTrue(table.lines().findFirst().orElseThrow().contains("deletion_auc"), table);
        assertTrue(table.contains("note: head 'label' has no mask: pointing_game (a localisation metric) is not computed"), table);
        assertTrue(table.contains("--masks DIR"), table);
        JsonNode json = new ObjectMapper().readTree(out.resolve(ExplainMetrics.JSON).toFile());
        for (ExplainResult.Row row : r.rows()) {
            for (String m : CamMetrics.FAITHFULNESS) {
                double v = r.metric(row, m);
                assertTrue(Double.isFinite(v), m);
                assertEquals(v, json.at("/images/" + row.name() + "/label/" + m).asDouble(), 1e-12, "metrics.json agrees with the table");
            }
            assertTrue(r.metric(row, "deletion_auc") >= 0 && r.metric(row, "deletion_auc") <= 1);
            assertNull(r.metric(row, "pointing_game"));
        }
        assertEquals(8, json.at("/options/steps").asInt());
        assertEquals("mean", json.at("/options/baseline").asText());
        double meanDeletion = (r.metric(r.rows().get(0), "deletion_auc") + r.metric(r.rows().get(1), "deletion_auc")) / 2;
        assertEquals(meanDeletion, json.at("/means/label/deletion_auc").asDouble(), 1e-12);
    }

    @Test
    void masksGiveTheLocalisationMetrics(@TempDir Path out, @TempDir Path masks) throws Exception {
        // a.png: everything allowed; b.png: nothing allowed
        TinyRun.writePng(constant(255), masks.resolve("a.png"));
        TinyRun.writePng(constant(0), masks.resolve("b.png"));
        ExplainMetrics metrics = new ExplainMetrics(List.of("pointing_game", "energy_pointing_game", "relevance_rank_accuracy",
                "wrong_reason", "deletion_auc"), 4, "zero", ROAD, masks);
        ExplainResult r = new Explainer(run, ExplainOptions.defaults().withMethod("hirescam"), metrics).explain(files, out);
        assertTrue(r.ok(), r.failureReport());
        ExplainResult.Row all = r.rows().get(0);
        ExplainResult.Row none = r.rows().get(1);
        assertEquals(1.0, r.metric(all, "pointing_game"));
        assertEquals(1.0, r.metric(all, "energy_pointing_game"), 1e-6);
        assertEquals(1.0, r.metric(all, "relevance_rank_accuracy"));
        assertNull(r.metric(all, "wrong_reason"), "nothing is forbidden");
        assertEquals(0.0, r.metric(none, "pointing_game"));
        assertEquals(0.0, r.metric(none, "energy_pointing_game"), 1e-6);
        assertNull(r.metric(none, "relevance_rank_accuracy"), "nothing is allowed: no top-K");
        double wrong = r.metric(none, "wrong_reason");
        assertTrue(wrong > 0 && wrong < 1, "the share of pixels above the set's mean activation: " + wrong);
        assertFalse(r.table().contains("note:"), r.table());
    }

    @Test
    void impossibleSettingsNameTheOption() {
        ExplainException steps = assertThrows(ExplainException.class, () -> new ExplainMetrics(List.of("all"), 0, "mean", ROAD, null));
        assertEquals("--steps must be a whole number of steps >= 1, got 0", steps.getMessage());
        ExplainException pixels = assertThrows(ExplainException.class,
                () -> new Explainer(run, ExplainOptions.defaults(), new ExplainMetrics(List.of("all"), 785, "mean", ROAD, null)));
        assertTrue(pixels.getMessage().startsWith("--steps = 785 is more than the 784 pixels of an image"), pixels.getMessage());
        ExplainException road = assertThrows(ExplainException.class,
                () -> new ExplainMetrics(List.of("all"), 4, "mean", List.of(0.0, 50.0), null));
        assertTrue(road.getMessage().startsWith("--road-percentiles holds 0.0; every percentile must lie strictly between 0 and 100"),
                road.getMessage());
        ExplainException baseline = assertThrows(ExplainException.class,
                () -> new ExplainMetrics(List.of("all"), 4, "grey", ROAD, null));
        assertEquals("--baseline: unknown baseline 'grey'; expected zero, mean or blur", baseline.getMessage());
        ExplainException unknown = assertThrows(ExplainException.class,
                () -> new ExplainMetrics(List.of("deletion"), 4, "mean", ROAD, null));
        assertTrue(unknown.getMessage().startsWith("--metrics: unknown metric 'deletion'"), unknown.getMessage());
    }

    @Test
    void theNewMethodsAndSmoothingRunThroughTheCommandLine(@TempDir Path out) throws Exception {
        java.util.Map<String, Double> deletionByArgs = new java.util.HashMap<>();
        for (List<String> args : List.of(List.of("--method", "eigencam"), List.of("--method", "eigengradcam"),
                List.of("--method", "ablationcam", "--layer", "conv2"), List.of("--method", "gradcam", "--eigen-smooth"),
                List.of("--method", "hirescam", "--aug-smooth"), List.of("--method", "gradcam", "--layer", "conv1,conv2"),
                List.of("--method", "guidedbackprop"), List.of("--method", "guidedgradcam", "--layer", "conv2"),
                List.of("--method", "fullgrad"), List.of("--method", "fullgrad", "--layer", "conv2", "--aug-smooth"),
                List.of("--method", "guidedbackprop", "--aug-smooth"), List.of("--method", "guidedgradcam", "--layer", "conv2", "--aug-smooth"))) {
            Path dir = out.resolve(String.join("_", args).replace("-", "").replace(",", "+"));
            List<String> cli = new java.util.ArrayList<>(List.of("explain", "--model", runDir.toString(), "--out", dir.toString(),
                    "--metrics", "deletion_auc", "--images", files.get(0).toString()));
            cli.addAll(args);
            assertEquals(0, new picocli.CommandLine(new io.spotlight.trainer.cli.SpotlightCli()).execute(cli.toArray(String[]::new)),
                    String.join(" ", args));
            assertTrue(Files.isRegularFile(dir.resolve("a-grid.png")), String.join(" ", args));
            double deletion = new ObjectMapper().readTree(dir.resolve(ExplainMetrics.JSON).toFile()).at("/means/label/deletion_auc").asDouble();
            assertTrue(deletion >= 0 && deletion <= 1, args + ": " + deletion);
            deletionByArgs.put(String.join(" ", args), deletion);
        }
        // --aug-smooth changes guided backpropagation's and Guided Grad-CAM's maps (it once was skipped)
        for (String method : List.of("--method guidedbackprop", "--method guidedgradcam --layer conv2")) {
            assertNotEquals(deletionByArgs.get(method), deletionByArgs.get(method + " --aug-smooth"), method);
        }
    }

    @Test
    void fullGradReadsEveryBiasLayerOrTheNamedOnesAndRefusesWhatCannotWork(@TempDir Path out) {
        ExplainResult all = new Explainer(run, ExplainOptions.defaults().withMethod("fullgrad")).explain(files, out.resolve("all"));
        assertEquals("fullgrad", all.method());
        assertEquals("trunk/0,trunk/3", all.layer(), "both convolutions of the small CNN; its heads' Linear biases are not used");
        assertTrue(all.ok(), all.failureReport());
        assertEquals("trunk/3", new Explainer(run, ExplainOptions.defaults().withMethod("fullgrad").withLayer("conv2")).layer());
        ExplainException relu = assertThrows(ExplainException.class,
                () -> new Explainer(run, ExplainOptions.defaults().withMethod("fullgrad").withLayer("conv1,trunk/1")));
        assertTrue(relu.getMessage().startsWith("--layer conv1,trunk/1: fullgrad reads layers with a bias")
                && relu.getMessage().contains("is a LambdaBlock"), relu.getMessage());
        ExplainException twice = assertThrows(ExplainException.class,
                () -> new Explainer(run, ExplainOptions.defaults().withMethod("fullgrad").withLayer("conv1,trunk/0")));
        assertTrue(twice.getMessage().startsWith("--layer conv1,trunk/0: fullgrad: layer 'trunk/0' is named twice"), twice.getMessage());
        ExplainException eigen = assertThrows(ExplainException.class,
                () -> new Explainer(run, ExplainOptions.defaults().withMethod("fullgrad+eigen_smooth")));
        assertTrue(eigen.getMessage().startsWith("--eigen-smooth") && eigen.getMessage().contains("fullgrad"), eigen.getMessage());
    }

    @Test
    void aLayerGivenTwiceCombinesToItsOwnScaledMap(@TempDir Path out) {
        ExplainResult once = new Explainer(run, ExplainOptions.defaults().withLayer("conv2")).explain(files, out.resolve("once"));
        ExplainResult twice = new Explainer(run, ExplainOptions.defaults().withLayer("conv2,conv2")).explain(files, out.resolve("twice"));
        assertEquals("trunk/3,trunk/3", twice.layer());
        for (int i = 0; i < files.size(); i++) {
            // the same peak: min-max scaling and the mean of equal maps change no ranking
            assertEquals(once.rows().get(i).peakRow(), twice.rows().get(i).peakRow());
            assertEquals(once.rows().get(i).peakColumn(), twice.rows().get(i).peakColumn());
        }
    }

    @Test
    void theEvaluationAfterTheEpochLoggedTheDefaultMetrics() throws Exception {
        JsonNode eval = null;
        for (String line : Files.readAllLines(runDir.resolve("metrics.jsonl"))) {
            JsonNode row = new ObjectMapper().readTree(line);
            if (row.get("kind").asText().equals("eval")) {
                eval = row;
            }
        }
        assertTrue(eval != null);
        double deletion = eval.get("test/deletion_auc/label").asDouble();
        assertTrue(deletion > 0 && deletion < 1, "deletion AUC " + deletion);
        // conv1 maps are at input resolution, so the energy pointing game is exactly the complement
        assertEquals(1 - eval.get("test/cam_outside_share/label").asDouble(), eval.get("test/energy_pointing_game/label").asDouble(), 1e-6);
        assertFalse(eval.has("test/road_combined/label"), "not in the default eval.metrics");
    }
}
