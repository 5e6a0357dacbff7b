package io.spotlight.trainer.optim;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Every file-system operation {@link Checkpoint#save} makes, so that a test can make one fail half
 * way (a full disk, a crash) and check what is left. {@link #files()} is the real one.
 */
public interface CheckpointWriter {
    void createDirectories(Path dir) throws IOException;

    /** Creates {@code file} (it must not exist), writes all of {@code bytes} and forces them to disk. */
    void write(Path file, byte[] bytes) throws IOException;

    /** Forces a directory's entries to disk where the platform allows it (best effort). */
    void syncDirectory(Path dir) throws IOException;

    /** Renames in one step: readers see the old name or the new one, never a part. */
    void moveAtomically(Path from, Path to) throws IOException;

    /** Removes a file or a directory tree, if it exists. */
    void deleteRecursively(Path path) throws IOException;

    /** The real file system. */
    static CheckpointWriter files() {
        return RealFiles.INSTANCE;
    }

    /** The default implementation, on java.nio.file. */
    final class RealFiles implements CheckpointWriter {
        static final RealFiles INSTANCE = new RealFiles();

        private RealFiles() {}

        @Override
        public void createDirectories(Path dir) throws IOException {
            Files.createDirectories(dir);
        }

        @Override
        public void write(Path file, byte[] bytes) throws IOException {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    ch.write(buffer);
                }
                ch.force(true);
            }
        }

        @Override
        public void syncDirectory(Path dir) {
            // fsync of a directory works on Linux and macOS, not on Windows; it only narrows the
            // window in which a power cut loses the rename, so failing here is not an error
            try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
                ch.force(true);
            } catch (IOException | UnsupportedOperationException e) {
                // best effort
            }
        }

        @Override
        public void moveAtomically(Path from, Path to) throws IOException {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        }

        @Override
        public void deleteRecursively(Path path) throws IOException {
            if (!Files.exists(path)) {
                return;
            }
            try (Stream<Path> walk = Files.walk(path)) {
                for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
