package io.spotlight.trainer.explain;

import io.spotlight.trainer.config.ComposedConfig;
import io.spotlight.trainer.config.ConfigComposer;
import io.spotlight.trainer.config.ConfigRenderer;
import io.spotlight.trainer.config.SearchPath;
import io.spotlight.trainer.run.GuidedTraining;
import io.spotlight.trainer.run.RunLauncher;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;

/** Real run directories for the explain tests: 320 images, one epoch, no tracking. */
final class TinyRun {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private TinyRun() {}

    /**
     * Trains the repository's primary config (small CNN) briefly into {@code dir}.
     *
     * @param dataset the dataset option, e.g. {@code decoy-fmnist} or {@code two-item-fmnist}
     */
    static void train(Path dir, String dataset) throws Exception {
        Path primary = ROOT.resolve("configs/train.conf");
        ComposedConfig c = new ConfigComposer(SearchPath.forPrimary(primary, ROOT.resolve("configs"))).compose(primary, List.of(
                "dataset=" + dataset, "tracking=off", "log.progress=false", "snapshot.every=0", "eval.cam_samples=50",
                "epochs=1", "dataset.train_size=320", "dataset.test_size=100", "guidance=none"));
        ConfigRenderer.save(dir, c);
        new GuidedTraining(c, dir, RunLauncher.standardListeners(c, dir, null)).run();
    }

    /** A grey image with a bright blob (a stand-in for a garment) and some noise. */
    static BufferedImage greyImage(int width, int height, long seed) {
        Random r = new Random(seed);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        int cx = 6 + r.nextInt(width - 12);
        int cy = 6 + r.nextInt(height - 12);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double d = Math.hypot(x - cx, y - cy);
                int v = (int) Math.max(0, Math.min(255, 230 - 25 * d + r.nextInt(20)));
                image.getRaster().setSample(x, y, 0, v);
            }
        }
        return image;
    }

    static Path writePng(BufferedImage image, Path file) throws IOException {
        ImageIO.write(image, "png", file.toFile());
        return file;
    }
}
