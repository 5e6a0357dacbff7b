package io.spotlight.trainer.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.spotlight.trainer.config.ComposedConfig;
import io.spotlight.trainer.config.ConfigRenderer;
import io.spotlight.trainer.tracking.ImageNames;
import io.spotlight.trainer.tracking.MlflowServerExtension;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A training run as the MLflow UI sees it, read back from a real server. */
class TrainingTrackingTest {
    @RegisterExtension static final MlflowServerExtension SERVER = new MlflowServerExtension();

    @Test
    void aRunLogsParamsMetricsCamImagesAndFilesToMlflow(@TempDir Path dir) throws Exception {
        ComposedConfig c = Repo.compose(Repo.DECOY, "tracking=local", "tracking.uri=\"" + SERVER.uri() + "\"",
                "name=tracked", "epochs=1", "dataset.train_size=320", "dataset.test_size=200",
                "guidance=hirescam-conv1", "log.every=2", "snapshot.every=2");
        ConfigRenderer.save(dir, c);
        RunLauncher.trainAndReport(c, dir, null);

        List<JsonNode> runs = SERVER.rest().runsOf("tracked");
        assertEquals(1, runs.size());
        String id = runs.get(0).path("info").path("run_id").asText();
        assertEquals("FINISHED", SERVER.rest().status(id));
        assertEquals("1", SERVER.rest().params(id).get("epochs"));
        assertEquals("hirescam", SERVER.rest().params(id).get("guidance.terms.hirescam-conv1.method"));
        assertEquals("true", SERVER.rest().tags(id).get("mlflow.loggedImages"));
        List<JsonNode> loss = SERVER.rest().history(id, "loss");
        assertEquals(List.of(1L, 2L, 4L), loss.stream().limit(3).map(n -> n.path("step").asLong()).toList());
        assertEquals(1, SERVER.rest().history(id, "test/accuracy/label").size());
        List<String> images = SERVER.rest().files(id, "images");
        assertTrue(images.stream().anyMatch(f -> f.contains("cams+step+")), images.toString());
        assertTrue(images.stream().allMatch(f -> ImageNames.parse(f) != null), images.toString());
        List<String> root = SERVER.rest().files(id, "");
        for (String f : List.of("config.conf", "summary.json")) {
            assertTrue(root.stream().anyMatch(p -> p.endsWith(f)), f + " in " + root);
        }
    }
}
