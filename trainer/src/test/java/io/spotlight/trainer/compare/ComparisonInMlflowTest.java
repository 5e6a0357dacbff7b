package io.spotlight.trainer.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.spotlight.trainer.tracking.MlflowRestReader;
import io.spotlight.trainer.tracking.MlflowServerExtension;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A comparison tracked to a real MLflow 3 server: the parent run carries comparison.json,
 * comparison.md and comparison.png and shows the figure as an image, and the variants' runs are
 * its children in the same experiment (each variant once had an experiment of its own, so
 * MLflow could neither nest nor compare them), with their final metrics.
 */
class ComparisonInMlflowTest {
    @RegisterExtension static final MlflowServerExtension SERVER = new MlflowServerExtension();

    @Test
    void theParentCarriesTheFilesAndTheVariantsAreItsChildren(@TempDir Path data, @TempDir Path out) throws Exception {
        Comparison comparison = FolderComparisonTest.tinyFolderComparison(data, "tracking.uri=" + SERVER.uri());
        comparison.run(out, List.of("baseline", "guided"));
        MlflowRestReader rest = SERVER.rest();
        List<JsonNode> runs = rest.runsOf("folder-example");
        assertEquals(3, runs.size(), "parent and two children in the experiment");
        JsonNode parent = runs.stream().filter(r -> r.path("info").path("run_name").asText().startsWith("compare-"))
                .findFirst().orElseThrow();
        String parentId = parent.path("info").path("run_id").asText();
        assertEquals("FINISHED", parent.path("info").path("status").asText(), "the parent run is finished by the launch");
        assertTrue(rest.files(parentId, null).containsAll(List.of(Comparison.JSON, Comparison.MARKDOWN, ComparisonFigure.FILE)),
                rest.files(parentId, null).toString());
        assertTrue(rest.files(parentId, "images").stream().anyMatch(f -> f.startsWith("images/" + ComparisonFigure.KEY + "+step+0+")));
        for (JsonNode child : runs) {
            String id = child.path("info").path("run_id").asText();
            if (!id.equals(parentId)) {
                assertEquals(parentId, rest.tags(id).get("mlflow.parentRunId"));
                assertTrue(child.path("data").path("metrics").toString().contains("test/accuracy/label"), child.toString());
            }
        }
    }
}
