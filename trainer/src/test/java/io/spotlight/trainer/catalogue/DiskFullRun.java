package io.spotlight.trainer.catalogue;

import static io.spotlight.trainer.catalogue.BadInputCatalogueTest.assertMentions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spotlight.trainer.config.ComposedConfig;
import io.spotlight.trainer.config.ConfigRenderer;
import io.spotlight.trainer.config.RunDirectories;
import io.spotlight.trainer.data.DecoyFashionMnist;
import io.spotlight.trainer.optim.Checkpoint;
import io.spotlight.trainer.optim.CheckpointState;
import io.spotlight.trainer.optim.CheckpointWriter;
import io.spotlight.trainer.run.CheckpointListener;
import io.spotlight.trainer.run.GuidedTraining;
import io.spotlight.trainer.run.ModelFactory;
import io.spotlight.trainer.run.OptimizerFactory;
import io.spotlight.trainer.run.RunLauncher;
import io.spotlight.trainer.run.SpotlightListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A disk that fills up while epoch 2's checkpoint is written: the real run, with the real
 * checkpoint code, whose file writes go through a {@link CheckpointWriter} that writes half of
 * {@code optimizer.bin} and then fails as Linux does.
 */
final class DiskFullRun {
    private DiskFullRun() {}

    /** The real file system, except that epoch 2's optimizer state hits a full disk half way. */
    private static final class FullDisk implements CheckpointWriter {
        private final CheckpointWriter real = CheckpointWriter.files();

        @Override
        public void createDirectories(Path dir) throws IOException {
            real.createDirectories(dir);
        }

        @Override
        public void write(Path file, byte[] bytes) throws IOException {
            if (file.getParent().getFileName().toString().startsWith(".epoch-0002") && file.endsWith(Checkpoint.OPTIMIZER)) {
                Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
                throw new IOException("No space left on device");
            }
            real.write(file, bytes);
        }

        @Override
        public void syncDirectory(Path dir) throws IOException {
            real.syncDirectory(dir);
        }

        @Override
        public void moveAtomically(Path from, Path to) throws IOException {
            real.moveAtomically(from, to);
        }

        @Override
        public void deleteRecursively(Path path) throws IOException {
            real.deleteRecursively(path);
        }
    }

    static void assertPreviousCheckpointSurvives(Path wanted) throws Exception {
        Path run = RunDirectories.createUnique(wanted);
        ComposedConfig c = Earlier.compose("epochs=2", "guidance=hirescam-conv1", "optimizer=adam");
        ConfigRenderer.save(run, c);
        List<SpotlightListener> listeners = new java.util.ArrayList<>(RunLauncher.standardListeners(c, run, null));
        listeners.replaceAll(l -> l instanceof CheckpointListener ? new CheckpointListener(new FullDisk()) : l);

        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> new GuidedTraining(c, run, listeners).run());
        assertMentions(e.getMessage(), "cannot write checkpoint epoch-0002 in " + run, "No space left on device",
                "earlier checkpoints are intact");
        Map<?, ?> summary = new ObjectMapper().readValue(run.resolve("summary.json").toFile(), Map.class);
        assertEquals("FAILED", summary.get("status"));
        assertMentions(String.valueOf(summary.get("error")), "epoch-0002", "No space left on device");

        // the half-written checkpoint is gone, epoch 1 is the latest and loads into a fresh model
        try (Stream<Path> left = Files.list(run.resolve(Checkpoint.DIR))) {
            assertEquals(List.of("epoch-0001", "latest"), left.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertEquals("epoch-0001\n", Files.readString(run.resolve("checkpoints/latest")));
        assertEquals(Optional.of(run.resolve("checkpoints/epoch-0001")), Checkpoint.latest(run));
        var model = ModelFactory.build(c.cfg().at("model"), DecoyFashionMnist.builder().setSampling(1, false).build().heads());
        OptimizerFactory.Built opt = OptimizerFactory.build(c.cfg().at("optimizer"), 2, 2);
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            model.block().initialize(m, DataType.FLOAT32, new Shape(1, 1, 28, 28));
            CheckpointState state = Checkpoint.load(run.resolve("checkpoints/epoch-0001"), model.block(), opt.optimizer(), m);
            assertEquals(1, state.epoch());
            assertEquals(2, state.globalStep(), "128 images in batches of 64");
        }
        assertFalse(Files.exists(run.resolve("model")), "no final model from a failed run");
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            json.readValue(line, Map.class); // every line whole
        }
    }
}
