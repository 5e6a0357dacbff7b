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
import io.spotlight.cam.CamComputer;
import io.spotlight.cam.CamRequest;
import io.spotlight.cam.CamResult;
import io.spotlight.cam.map.HeadCombiner;
import io.spotlight.cam.method.CamMethods;
import io.spotlight.cam.model.CamModel;
import io.spotlight.cam.render.Colormaps;
import io.spotlight.cam.render.Images;
import io.spotlight.cam.render.Overlay;
import io.spotlight.cam.target.Targets;
import io.spotlight.trainer.config.ComposedConfig;
import io.spotlight.trainer.config.SpotlightConfigError;
import io.spotlight.trainer.data.Head;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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
}
