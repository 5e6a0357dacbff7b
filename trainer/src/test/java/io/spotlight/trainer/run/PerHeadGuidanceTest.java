package io.spotlight.trainer.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spotlight.cam.model.CamModel;
import io.spotlight.cam.render.CamGrid;
import io.spotlight.losses.PenaltyTerm;
import io.spotlight.trainer.config.Cfg;
import io.spotlight.trainer.config.ComposedConfig;
import io.spotlight.trainer.config.ConfigRenderer;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * λ and target per head are one guidance term per head: {@code configs/guidance/per-head.conf}
 * on the two-item data set (heads left and right) gives one term each, and a run penalises
 * each head only through its own term.
 */
class PerHeadGuidanceTest {
    private static final String[] PER_HEAD = {"dataset=two-item-fmnist", "guidance=per-head"};

    /** The terms a run would build from {@code c}, on an initialised (untrained) model. */
    private static List<PenaltyTerm> terms(ComposedConfig c) {
        Cfg cfg = c.cfg();
        Shape image = DatasetFactory.imageShape(cfg.at("dataset"));
        ModelFactory.BuiltModel built = ModelFactory.build(cfg.at("model"), DatasetFactory.heads(cfg.at("dataset")));
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            built.block().initialize(m, DataType.FLOAT32, new Shape(1).addAll(image));
            return GuidanceFactory.terms(cfg.at("guidance"), built, CamModel.of(built.block()), m,
                    new long[] {image.get(0), image.get(1), image.get(2)});
        }
    }

    @Test
    void eachHeadHasItsOwnTermWithItsOwnLambdaAndTarget() {
        List<PenaltyTerm> terms = terms(Repo.compose(Repo.TRAIN, PER_HEAD));
        assertEquals(List.of("hirescam-left", "hirescam-right"), terms.stream().map(PenaltyTerm::name).toList());
        PenaltyTerm left = terms.get(0);
        PenaltyTerm right = terms.get(1);
        assertEquals(List.of("left"), left.heads());
        assertEquals(List.of("right"), right.heads());
        assertEquals(1.0, left.lambda());
        assertEquals(0.5, right.lambda());
        assertEquals("logprob", left.target().name());
        assertEquals("pred", right.target().name());
        assertTrue(left.guides("left") && !left.guides("right"));
        assertTrue(right.guides("right") && !right.guides("left"));
        for (PenaltyTerm t : terms) {
            assertEquals("hirescam", t.method().name());
            assertEquals("trunk/0", t.layer(), "conv1, resolved");
            assertEquals(1, t.dilation(), "rf: half the 3x3 convolution's receptive field");
        }
        // one head's settings are overridden through its term; a number over the file's "rf" arrives as a string
        List<PenaltyTerm> overridden = terms(Repo.compose(Repo.TRAIN, "dataset=two-item-fmnist", "guidance=per-head",
                "guidance.terms.hirescam-right.lambda=0.2", "guidance.terms.hirescam-right.dilation=0"));
        assertEquals(0.2, overridden.get(1).lambda());
        assertEquals(0, overridden.get(1).dilation());
        assertEquals(1.0, overridden.get(0).lambda(), "the other head's term is unchanged");
        assertEquals(1, overridden.get(0).dilation());
    }

    @Test
    void aRunLogsEachTermsPenaltyOnlyForItsOwnHead(@TempDir Path dir) throws Exception {
        ComposedConfig c = Repo.compose(Repo.TRAIN, "dataset=two-item-fmnist", "guidance=per-head", "epochs=1",
                "dataset.train_size=320", "dataset.test_size=100", "log.every=1", "eval.cam_samples=50");
        ConfigRenderer.save(dir, c);
        new GuidedTraining(c, dir, RunLauncher.standardListeners(c, dir, null)).run();
        ObjectMapper json = new ObjectMapper();
        List<Map<?, ?>> train = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("metrics.jsonl"))) {
            Map<?, ?> m = json.readValue(line, Map.class);
            if ("train".equals(m.get("kind"))) {
                train.add(m);
            }
        }
        assertEquals(5, train.size(), "320 pairs in batches of 64, every step logged");
        double positive = 0;
        for (Map<?, ?> m : train) {
            List<String> penalties = m.keySet().stream().map(Object::toString).filter(k -> k.startsWith("penalty/")).sorted().toList();
            assertEquals(List.of("penalty/hirescam-left/left", "penalty/hirescam-right/right"), penalties, "step " + m.get("step"));
            for (String k : penalties) {
                double p = ((Number) m.get(k)).doubleValue();
                assertTrue(p >= 0 && p <= 1, k + " is a share: " + p);
                positive += p;
            }
            assertTrue(m.containsKey("ce/left") && m.containsKey("ce/right"), m.keySet().toString());
        }
        assertTrue(positive > 0, "the masks forbid the other half, so attention there is penalised");
        // the end-of-epoch snapshot: input, left, right and the default combined(mean) column
        BufferedImage snapshot;
        try (var pngs = Files.list(dir.resolve(RunFilesListener.SNAPSHOTS))) {
            Path last = pngs.filter(p -> p.getFileName().toString().startsWith("cams-step") && p.toString().endsWith(".png")).sorted().reduce((a, b) -> b).orElseThrow();
            snapshot = ImageIO.read(last.toFile());
        }
        assertEquals(CamGrid.GAP + 4 * (56 * 4 + CamGrid.GAP), snapshot.getWidth());
    }
}
