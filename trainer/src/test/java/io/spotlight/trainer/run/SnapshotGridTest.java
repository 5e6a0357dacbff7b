package io.spotlight.trainer.run;

import static io.spotlight.cam.render.CamGrid.GAP;
import static io.spotlight.cam.render.CamGrid.HEADER_HEIGHT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spotlight.cam.CamComputer;
import io.spotlight.cam.CamRequest;
import io.spotlight.cam.CamResult;
import io.spotlight.cam.map.HeadCombiner;
import io.spotlight.cam.method.CamMethods;
import io.spotlight.cam.model.CamModel;
import io.spotlight.cam.render.Colormaps;
import io.spotlight.cam.render.HeadCell;
import io.spotlight.cam.render.Images;
import io.spotlight.cam.render.Overlay;
import io.spotlight.cam.target.Targets;
import io.spotlight.trainer.config.ComposedConfig;
import io.spotlight.trainer.config.SpotlightConfigError;
import io.spotlight.trainer.data.Head;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The snapshot grid's combined column ({@code snapshot.combine}) on a two-head model (two-item
 * data set, untrained small CNN: any weights give maps to combine): its overlay is the heads'
 * normalised maps combined, pixel for pixel.
 */
class SnapshotGridTest {
    private static final int CELL_W = 56 * 4;
    private static final int CELL_H = 28 * 4;
    private static final int SAMPLES = 2;

    static NDManager manager;
    static ComposedConfig config;
    static List<Head> heads;
    static String layer;
    static CamResult result;
    static List<BufferedImage> inputs = new ArrayList<>();

    @BeforeAll
    static void maps() {
        config = Repo.compose(Repo.TRAIN, "dataset=two-item-fmnist");
        heads = DatasetFactory.heads(config.cfg().at("dataset"));
        ModelFactory.BuiltModel built = ModelFactory.build(config.cfg().at("model"), heads);
        layer = built.layer("conv1");
        manager = NDManager.newBaseManager("PyTorch");
        built.block().initialize(manager, DataType.FLOAT32, new Shape(SAMPLES, 1, 28, 56));
        Random random = new Random(3);
        float[] pixels = new float[SAMPLES * 28 * 56];
        for (int s = 0; s < SAMPLES; s++) {
            float[][] rows = new float[28][56];
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 56; x++) {
                    rows[y][x] = random.nextFloat();
                    pixels[(s * 28 + y) * 56 + x] = rows[y][x];
                }
            }
            inputs.add(Images.fromGray(rows));
        }
        NDArray x = manager.create(pixels, new Shape(SAMPLES, 1, 28, 56));
        result = new CamComputer(CamModel.of(built.block())).compute(new ParameterStore(manager, false), x, Map.of(),
                CamRequest.builder().layer(layer).method(CamMethods.byName("hirescam")).target(Targets.predicted())
                        .training(false).build());
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    private static BufferedImage grid(List<Head> which, HeadCombiner combine) {
        return CamSnapshotListener.grid(result, layer, which, inputs, List.of("a", "b"), combine, Colormaps.jet());
    }

    @Test
    void theDefaultIsMeanAndNoneOrOneHeadLeavesTheColumnOut() {
        assertEquals(HeadCombiner.MEAN, CamSnapshotListener.combiner(config.cfg()).orElseThrow());
        assertEquals(GAP + 4 * (CELL_W + GAP), grid(heads, HeadCombiner.MEAN).getWidth(), "input, left, right, combined");
        assertEquals(GAP + 3 * (CELL_W + GAP), grid(heads, null).getWidth(), "none: input, left, right");
        assertEquals(GAP + 2 * (CELL_W + GAP), grid(heads.subList(0, 1), HeadCombiner.MEAN).getWidth(),
                "one head: its combination would repeat it");
    }

    @Test
    void theCombinedColumnShowsTheMeanOfTheHeadsNormalisedMaps() {
        assertCombinedColumnIs(HeadCombiner.MEAN);
    }

    @Test
    void theConfidenceColumnWeighsTheHeadsByTheirProbabilities() {
        assertCombinedColumnIs(HeadCombiner.CONFIDENCE);
    }

    /** Every pixel of the last column equals the overlay of the host-computed combination (±1 of 255: float rounding). */
    private static void assertCombinedColumnIs(HeadCombiner how) {
        BufferedImage grid = grid(heads, how);
        List<String> names = heads.stream().map(Head::name).toList();
        int columnX = GAP + 3 * (CELL_W + GAP);
        for (int s = 0; s < SAMPLES; s++) {
            BufferedImage expected = new Overlay(Colormaps.jet(), Overlay.DEFAULT_ALPHA)
                    .render(Images.upscaleNearest(inputs.get(s), 4), HostCombination.of(result, layer, names, s, how));
            int rowY = HEADER_HEIGHT + s * (CELL_H + io.spotlight.cam.render.CamGrid.LABEL_HEIGHT + GAP);
            int worst = 0;
            for (int y = 0; y < CELL_H; y++) {
                for (int x = 0; x < CELL_W; x++) {
                    int got = grid.getRGB(columnX + x, rowY + y);
                    int want = expected.getRGB(x, y);
                    for (int shift = 0; shift <= 16; shift += 8) {
                        worst = Math.max(worst, Math.abs((got >> shift & 0xFF) - (want >> shift & 0xFF)));
                    }
                }
            }
            assertTrue(worst <= 1, how + " sample " + s + ": a channel differs by " + worst);
        }
    }

    @Test
    void anUnknownCombinationIsAConfigErrorBeforeTheRun() {
        SpotlightConfigError e = org.junit.jupiter.api.Assertions.assertThrows(SpotlightConfigError.class,
                () -> RunPreflight.check(Repo.compose(Repo.TRAIN, "snapshot.combine=avg")));
        assertTrue(e.getMessage().contains("snapshot.combine") && e.getMessage().contains("confidence"), e.getMessage());
    }

    /**
     * The raw maps stored beside each snapshot PNG for {@code ./spotlight view}: 8 bits per value
     * with the map's maximum as scale, so each decoded value is within scale / 510 of the ReLU'd map
     * the grid draws, and the class and probability are the grid's captions.
     */
    @Test
    void theRawMapsBesideTheGridDecodeToItsMaps(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("cams-step0000007" + SnapshotMaps.SUFFIX);
        SnapshotMaps.of(result, layer, heads, inputs, List.of("a", "b"), Map.of("layer", "conv1")).at(7).write(file);
        JsonNode json = new ObjectMapper().readTree(file.toFile());
        assertEquals(SnapshotMaps.FORMAT, json.get("format").asText());
        assertEquals(7, json.get("step").asLong());
        assertEquals(List.of("left", "right"), List.of(json.get("heads").get(0).asText(), json.get("heads").get(1).asText()));
        int h = json.get("map_height").asInt();
        int w = json.get("map_width").asInt();
        assertEquals(List.of(28, 56), List.of(h, w), "conv1 keeps the input's size");
        for (int s = 0; s < SAMPLES; s++) {
            JsonNode sample = json.get("samples").get(s);
            assertEquals(List.of("a", "b").get(s), sample.get("row_label").asText());
            BufferedImage input = ImageIO.read(new ByteArrayInputStream(
                    Base64.getDecoder().decode(sample.get("input_png").asText())));
            assertEquals(inputs.get(s).getRGB(5, 7), input.getRGB(5, 7), "the probe image, losslessly");
            for (Head head : heads) {
                HeadCell cell = CamSnapshotListener.headCell(result, layer, head, s);
                JsonNode m = sample.get("heads").get(head.name());
                assertEquals(cell.classLabel(), m.get("class").asText());
                assertEquals(cell.probability(), m.get("probability").asDouble(), 1e-12);
                double scale = m.get("scale").asDouble();
                byte[] bytes = Base64.getDecoder().decode(m.get("map_u8").asText());
                assertEquals(h * w, bytes.length);
                assertTrue(scale > 0, "an untrained model's map still has positive evidence");
                int top = 0;
                double worst = 0;
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        int q = bytes[y * w + x] & 0xFF;
                        top = Math.max(top, q);
                        worst = Math.max(worst, Math.abs(q / 255.0 * scale - Math.max(0, cell.map()[y][x])));
                    }
                }
                assertEquals(255, top, "the maximum is stored as 255");
                assertTrue(worst <= scale / 510 * (1 + 1e-6), "worst error " + worst + " vs scale / 510 = " + scale / 510);
            }
        }
    }
}
