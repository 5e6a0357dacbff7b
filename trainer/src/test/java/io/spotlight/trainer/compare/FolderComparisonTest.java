package io.spotlight.trainer.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.spotlight.trainer.config.ConfigComposer;
import io.spotlight.trainer.config.SearchPath;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code compare} on a folder data set (experiments/folder-example with tiny generated images):
 * its warm-up once passed {@code dataset.train_size}, a key only the Fashion-MNIST data sets
 * have, so no folder or manifest experiment could be compared at all.
 */
class FolderComparisonTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    @SuppressWarnings("unchecked")
    void aFolderExperimentComparesWithoutSizeKeys(@TempDir Path data, @TempDir Path out) throws Exception {
        Comparison comparison = tinyFolderComparison(data, "tracking=off");
        comparison.check(List.of("baseline"));
        comparison.run(out, List.of("baseline"));
        Map<String, Object> json = new ObjectMapper().readValue(out.resolve(Comparison.JSON).toFile(), Map.class);
        Map<String, Object> variants = (Map<String, Object>) json.get("variants");
        assertEquals(List.of("baseline"), List.copyOf(variants.keySet()));
        Map<String, Object> heads = (Map<String, Object>) ((Map<String, Object>) variants.get("baseline")).get("heads");
        double accuracy = ((Number) ((Map<String, Object>) heads.get("label")).get("accuracy")).doubleValue();
        assertTrue(accuracy >= 0 && accuracy <= 100, "test accuracy " + accuracy);
        assertTrue(Files.isRegularFile(out.resolve(Comparison.MARKDOWN)));
    }

    /** experiments/folder-example on a tiny generated data set in {@code data}, one epoch, plus {@code extra} overrides. */
    static Comparison tinyFolderComparison(Path data, String... extra) throws Exception {
        for (String split : List.of("train", "test")) {
            for (int i = 0; i < (split.equals("train") ? 8 : 4); i++) {
                square(data.resolve(split + "/a/" + i + ".png"), 40);
                square(data.resolve(split + "/b/" + i + ".png"), 200);
            }
        }
        Path experiment = ROOT.resolve("experiments/folder-example/experiment.conf");
        List<String> overrides = new java.util.ArrayList<>(List.of("dataset.root=" + data.resolve("train"),
                "dataset.test_root=" + data.resolve("test"), "dataset.image_shape=[1,16,16]", "epochs=1", "batch_size=4",
                "eval_batch_size=4", "eval.cam_samples=4", "log.progress=false"));
        overrides.addAll(List.of(extra));
        return new Comparison(new ConfigComposer(SearchPath.forPrimary(experiment, ROOT.resolve("configs"))), experiment, overrides);
    }

    /** A 16x16 grey image of one shade with a bright square in the middle. */
    private static void square(Path file, int shade) throws Exception {
        BufferedImage image = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                image.getRaster().setSample(x, y, 0, x >= 5 && x < 11 && y >= 5 && y < 11 ? 255 : shade);
            }
        }
        Files.createDirectories(file.getParent());
        ImageIO.write(image, "png", file.toFile());
    }
}
