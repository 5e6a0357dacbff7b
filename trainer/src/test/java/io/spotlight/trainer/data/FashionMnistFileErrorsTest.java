package io.spotlight.trainer.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.training.dataset.Dataset.Usage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Missing, truncated and foreign files fail with an error that names the file. */
class FashionMnistFileErrorsTest {
    private static final Path REAL = FashionMnistFiles.DEBIAN_DIRECTORY;
    private static final String IMAGES = "t10k-images-idx3-ubyte.gz";
    private static final String LABELS = "t10k-labels-idx1-ubyte.gz";

    @TempDir Path dir;

    @Test
    void missingFileIsNamedWithTheInstallCommand() throws IOException {
        Files.copy(REAL.resolve(IMAGES), dir.resolve(IMAGES));
        DatasetFileException e =
                assertThrows(
                        DatasetFileException.class,
                        () -> FashionMnistLoader.load(new FashionMnistFiles(dir), Usage.TEST));
        assertEquals(dir.resolve(LABELS), e.file());
        assertTrue(e.getMessage().contains(dir.resolve(LABELS).toString()), e.getMessage());
        assertTrue(
                e.getMessage().contains("sudo apt-get install dataset-fashion-mnist"),
                e.getMessage());
        assertTrue(e.getMessage().contains(FashionMnistFiles.CONFIG_KEY), e.getMessage());
    }

    @Test
    void missingDirectoryNamesTheFirstFileOfTheSplit() {
        Path nowhere = dir.resolve("nowhere");
        DatasetFileException e =
                assertThrows(
                        DatasetFileException.class,
                        () -> FashionMnistLoader.load(new FashionMnistFiles(nowhere), Usage.TRAIN));
        assertEquals(nowhere.resolve("train-images-idx3-ubyte.gz"), e.file());
    }

    @Test
    void truncatedGzipIsNamedAsTruncated() throws IOException {
        byte[] whole = Files.readAllBytes(REAL.resolve(IMAGES));
        Files.write(dir.resolve(IMAGES), Arrays.copyOf(whole, whole.length / 2));
        Files.copy(REAL.resolve(LABELS), dir.resolve(LABELS));
        DatasetFileException e =
                assertThrows(
                        DatasetFileException.class,
                        () -> FashionMnistLoader.load(new FashionMnistFiles(dir), Usage.TEST));
        assertEquals(dir.resolve(IMAGES), e.file());
        assertTrue(e.getMessage().startsWith(dir.resolve(IMAGES).toString()), e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        assertTrue(e.getMessage().contains("expected 7840016"), e.getMessage()); // 16 + 10000 * 784
    }

    @Test
    void fileThatIsNotGzipIsNamed() throws IOException {
        Files.writeString(dir.resolve(IMAGES), "not an IDX file");
        Files.copy(REAL.resolve(LABELS), dir.resolve(LABELS));
        DatasetFileException e =
                assertThrows(
                        DatasetFileException.class,
                        () -> FashionMnistLoader.load(new FashionMnistFiles(dir), Usage.TEST));
        assertEquals(dir.resolve(IMAGES), e.file());
        assertTrue(e.getMessage().contains("Not in GZIP format"), e.getMessage());
    }

    @Test
    void shortPayloadSaysHowManyBytesWereExpected() throws IOException {
        Files.copy(REAL.resolve(IMAGES), dir.resolve(IMAGES));
        byte[] labels = gunzip(REAL.resolve(LABELS));
        assertEquals(10_008, labels.length);
        gzip(Arrays.copyOf(labels, 5_000), dir.resolve(LABELS));
        DatasetFileException e =
                assertThrows(
                        DatasetFileException.class,
                        () -> FashionMnistLoader.load(new FashionMnistFiles(dir), Usage.TEST));
        assertEquals(dir.resolve(LABELS), e.file());
        assertTrue(e.getMessage().contains("expected 10008 bytes"), e.getMessage());
        assertTrue(e.getMessage().contains("found 5000"), e.getMessage());
    }

    @Test
    void labelsFileInPlaceOfImagesHasABadMagicNumber() throws IOException {
        Files.copy(REAL.resolve(LABELS), dir.resolve(IMAGES));
        Files.copy(REAL.resolve(LABELS), dir.resolve(LABELS));
        DatasetFileException e =
                assertThrows(
                        DatasetFileException.class,
                        () -> FashionMnistLoader.load(new FashionMnistFiles(dir), Usage.TEST));
        assertEquals(dir.resolve(IMAGES), e.file());
        assertTrue(
                e.getMessage().contains("bad magic number 0x00000801, expected 0x00000803"),
                e.getMessage());
    }

    @Test
    void uncompressedFilesAreAcceptedToo() throws IOException {
        Path plainLabels = dir.resolve("t10k-labels-idx1-ubyte");
        Files.write(plainLabels, gunzip(REAL.resolve(LABELS)));
        Files.copy(REAL.resolve(IMAGES), dir.resolve(IMAGES));
        assertEquals(plainLabels, new FashionMnistFiles(dir).require(Usage.TEST).labels());
        assertEquals(10_000, IdxFile.check(plainLabels, IdxFile.LABELS_MAGIC).count());
    }

    private static byte[] gunzip(Path file) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            return in.readAllBytes();
        }
    }

    private static void gzip(byte[] bytes, Path file) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(buffer)) {
            out.write(bytes);
        }
        Files.write(file, buffer.toByteArray());
    }
}
