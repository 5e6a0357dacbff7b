package io.spotlight.trainer.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints hold model, optimizer and run state, and a failed write never leaves one that loads wrong. */
class CheckpointTest {
    private static final Map<String, Double> SCALES = Map.of("hirescam-conv1/label", 0.375, "rrr/label", 12.5);

    private static CheckpointState state(int epoch, long step) {
        return new CheckpointState(epoch, step, 1234L, SCALES, new CheckpointState.Rng(1234L, 0xABCDEF012345L));
    }

    /** The real file system, except that the write of {@code failing} stops half way with a full disk. */
    private static class FullDisk implements CheckpointWriter {
        private final String failing;

        FullDisk(String failing) {
            this.failing = failing;
        }

        @Override
        public void createDirectories(Path dir) throws IOException {
            CheckpointWriter.files().createDirectories(dir);
        }

        @Override
        public void write(Path file, byte[] bytes) throws IOException {
            if (file.getFileName().toString().equals(failing)) {
                Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
                onFailure();
                throw new IOException("No space left on device");
            }
            CheckpointWriter.files().write(file, bytes);
        }

        void onFailure() {}

        @Override
        public void syncDirectory(Path dir) throws IOException {
            CheckpointWriter.files().syncDirectory(dir);
        }

        @Override
        public void moveAtomically(Path from, Path to) throws IOException {
            CheckpointWriter.files().moveAtomically(from, to);
        }

        @Override
        public void deleteRecursively(Path path) throws IOException {
            CheckpointWriter.files().deleteRecursively(path);
        }
    }

    /** Like {@link FullDisk}, but the process dies there: nothing after the failure reaches the disk. */
    private static final class Crash extends FullDisk {
        private boolean dead;

        Crash(String failing) {
            super(failing);
        }

        @Override
        void onFailure() {
            dead = true;
        }

        @Override
        public void deleteRecursively(Path path) throws IOException {
            if (dead) {
                throw new IOException("the process is gone");
            }
            super.deleteRecursively(path);
        }
    }

    private static List<String> entries(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static byte[] optimizerBytes(StatefulOptimizer opt, TinyTraining t) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        opt.save(out, t.model.getBlock());
        return out.toByteArray();
    }

    @Test
    void aCheckpointLoadsBackModelOptimizerAndRunState(@TempDir Path run) throws IOException {
        StatefulOptimizer opt = SavableSgdAndAdam.ADAM.get();
        try (TinyTraining t = new TinyTraining(3, opt).steps(4)) {
            Path dir = Checkpoint.save(run, t.model.getBlock(), opt, state(1, 4));
            assertEquals(run.resolve("checkpoints/epoch-0001"), dir);
            assertEquals(List.of("model.params", "optimizer.bin", "state.json"), entries(dir));
            assertEquals(List.of("epoch-0001", "latest"), entries(run.resolve("checkpoints")), "no temporary left");
            assertEquals("epoch-0001\n", Files.readString(run.resolve("checkpoints/latest")));
            assertEquals(Optional.of(dir), Checkpoint.latest(run));

            StatefulOptimizer loaded = SavableSgdAndAdam.ADAM.get();
            try (TinyTraining fresh = new TinyTraining(99, SavableSgdAndAdam.ADAM.get())) {
                CheckpointState s = Checkpoint.load(dir, fresh.model.getBlock(), loaded, fresh.model.getNDManager());
                assertEquals(state(1, 4), s);
                assertEquals(SCALES, s.autoScales());
                assertEquals(0xABCDEF012345L, s.rng().javaRandom());
                List<float[]> expected = t.weights();
                List<float[]> actual = fresh.weights();
                for (int i = 0; i < expected.size(); i++) {
                    assertArrayEquals(expected.get(i), actual.get(i));
                }
                assertEquals(4, loaded.numUpdate());
                assertArrayEquals(optimizerBytes(opt, t), optimizerBytes(loaded, fresh));
            }
        }
    }

    /** Epoch 1 saved; epoch 2's write fails with {@code writer}; returns epoch 1's weights. */
    private static List<float[]> failSecondSave(Path run, CheckpointWriter writer, String message) throws IOException {
        StatefulOptimizer opt = SavableSgdAndAdam.SGD.get();
        try (TinyTraining t = new TinyTraining(3, opt).steps(4)) {
            Checkpoint.save(run, t.model.getBlock(), opt, state(1, 4));
            List<float[]> first = t.weights();
            t.steps(4);
            assertTrue(TinyTraining.maxDiff(first, t.weights()) > 1e-3, "epoch 2 changed the weights");
            IOException e = assertThrows(IOException.class, () -> Checkpoint.save(run, t.model.getBlock(), opt, state(2, 8), writer));
            assertTrue(e.getMessage().contains(message), e.getMessage());
            return first;
        }
    }

    private static void assertEpochOneIsTheLatestAndLoads(Path run, List<float[]> weights) throws IOException {
        assertEquals(Optional.of(run.resolve("checkpoints/epoch-0001")), Checkpoint.latest(run));
        assertEquals("epoch-0001\n", Files.readString(run.resolve("checkpoints/latest"), StandardCharsets.UTF_8));
        assertFalse(Files.exists(run.resolve("checkpoints/epoch-0002")));
        StatefulOptimizer opt = SavableSgdAndAdam.SGD.get();
        try (TinyTraining fresh = new TinyTraining(99, SavableSgdAndAdam.SGD.get())) {
            CheckpointState s = Checkpoint.load(run.resolve("checkpoints/epoch-0001"), fresh.model.getBlock(), opt,
                    fresh.model.getNDManager());
            assertEquals(4, s.globalStep());
            assertEquals(9, opt.numUpdate(), "SGD's count begins at 5: four steps make it 9");
            List<float[]> loaded = fresh.weights();
            for (int i = 0; i < weights.size(); i++) {
                assertArrayEquals(weights.get(i), loaded.get(i));
            }
        }
    }

    @Test
    void aFullDiskHalfWayThroughLeavesThePreviousCheckpointAsTheLatest(@TempDir Path run) throws IOException {
        List<float[]> first = failSecondSave(run, new FullDisk("optimizer.bin"), "No space left");
        assertEquals(List.of("epoch-0001", "latest"), entries(run.resolve("checkpoints")), "the half-written one is removed");
        assertEpochOneIsTheLatestAndLoads(run, first);
    }

    @Test
    void aCrashHalfWayLeavesAHiddenPartThatIsNeverPicked(@TempDir Path run) throws IOException {
        List<float[]> first = failSecondSave(run, new Crash("state.json"), "No space left");
        List<String> left = entries(run.resolve("checkpoints"));
        assertEquals(3, left.size(), left.toString());
        String part = left.get(0);
        assertTrue(part.startsWith(".epoch-0002.tmp-"), part);
        // the part holds complete model and optimizer files and half a state.json: it must not load
        assertThrows(IOException.class, () -> Checkpoint.readState(run.resolve("checkpoints").resolve(part)));
        assertEpochOneIsTheLatestAndLoads(run, first);
    }

    @Test
    void aFailedRenameOverTheSameEpochPutsThePreviousOneBack(@TempDir Path run) throws IOException {
        int[] moves = {0};
        CheckpointWriter renameFails = new FullDisk("none") {
            @Override
            public void moveAtomically(Path from, Path to) throws IOException {
                if (from.getFileName().toString().startsWith(".epoch-0001.tmp-")) {
                    moves[0]++;
                    throw new IOException("rename failed");
                }
                super.moveAtomically(from, to);
            }
        };
        StatefulOptimizer opt = SavableSgdAndAdam.SGD.get();
        try (TinyTraining t = new TinyTraining(3, opt).steps(4)) {
            Checkpoint.save(run, t.model.getBlock(), opt, state(1, 4));
            List<float[]> first = t.weights();
            t.steps(2);
            assertThrows(IOException.class, () -> Checkpoint.save(run, t.model.getBlock(), opt, state(1, 6), renameFails));
            assertEquals(1, moves[0]);
            assertEquals(List.of("epoch-0001", "latest"), entries(run.resolve("checkpoints")));
            assertEquals(4, Checkpoint.readState(run.resolve("checkpoints/epoch-0001")).globalStep());
            assertEpochOneIsTheLatestAndLoads(run, first);
        }
    }

    @Test
    void aDamagedCheckpointIsSkippedAndRefused(@TempDir Path run) throws IOException {
        StatefulOptimizer opt = SavableSgdAndAdam.SGD.get();
        List<float[]> first;
        try (TinyTraining t = new TinyTraining(3, opt).steps(4)) {
            Checkpoint.save(run, t.model.getBlock(), opt, state(1, 4));
            first = t.weights();
            t.steps(4);
            Checkpoint.save(run, t.model.getBlock(), opt, state(2, 8));
        }
        assertEquals(Optional.of(run.resolve("checkpoints/epoch-0002")), Checkpoint.latest(run));
        Path params = run.resolve("checkpoints/epoch-0002/model.params");
        byte[] bytes = Files.readAllBytes(params);
        bytes[bytes.length - 3] ^= 0x40; // one flipped bit inside a weight: same size, still parses
        Files.write(params, bytes);
        try (TinyTraining fresh = new TinyTraining(99, SavableSgdAndAdam.SGD.get()); NDManager m = NDManager.newBaseManager("PyTorch")) {
            IOException e = assertThrows(IOException.class, () -> Checkpoint.load(run.resolve("checkpoints/epoch-0002"),
                    fresh.model.getBlock(), SavableSgdAndAdam.SGD.get(), m));
            assertTrue(e.getMessage().contains("checksum"), e.getMessage());
        }
        Files.writeString(run.resolve("checkpoints/latest"), "epoch-0002\n");
        assertEquals(Optional.of(run.resolve("checkpoints/epoch-0001")), Checkpoint.latest(run), "the pointer is not trusted");
        assertEpochOneIsTheLatestAndLoadsIgnoringPointer(run, first);
    }

    private static void assertEpochOneIsTheLatestAndLoadsIgnoringPointer(Path run, List<float[]> weights) throws IOException {
        try (TinyTraining fresh = new TinyTraining(99, SavableSgdAndAdam.SGD.get())) {
            Checkpoint.load(run.resolve("checkpoints/epoch-0001"), fresh.model.getBlock(), SavableSgdAndAdam.SGD.get(),
                    fresh.model.getNDManager());
            assertEquals(0.0, TinyTraining.maxDiff(weights, fresh.weights()));
        }
    }

    @Test
    void noCheckpointsMeansNoLatest(@TempDir Path run) throws IOException {
        assertEquals(Optional.empty(), Checkpoint.latest(run));
        Files.createDirectories(run.resolve("checkpoints/epoch-0003")); // empty: a copy gone wrong
        assertEquals(Optional.empty(), Checkpoint.latest(run));
    }
}
