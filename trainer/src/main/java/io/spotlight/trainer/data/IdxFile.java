package io.spotlight.trainer.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Checks an IDX file (the MNIST container format, optionally gzip-compressed) before DJL reads it.
 *
 * <p>DJL's {@code FashionMnist} skips the header and trusts the rest: a truncated or foreign file
 * there ends in an obscure native error, and a bad file would be cached by DJL's repository for
 * good. Reading the whole stream once here costs a fraction of a second and turns every such case
 * into a {@link DatasetFileException} that names the file and what was wrong.
 */
final class IdxFile {
    /** Magic number of an IDX file of unsigned bytes with 3 dimensions (images). */
    static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of an IDX file of unsigned bytes with 1 dimension (labels). */
    static final int LABELS_MAGIC = 0x00000801;

    private IdxFile() {}

    /**
     * What the header of a valid IDX file says.
     *
     * @param file the file
     * @param dims the dimensions, first one the number of items
     */
    record Header(Path file, int[] dims) {
        int count() {
            return dims[0];
        }

        long payloadBytes() {
            long n = 1;
            for (int d : dims) {
                n *= d;
            }
            return n;
        }
    }

    /**
     * Reads the whole file and checks magic number, header and payload length.
     *
     * @param file the IDX file; decompressed if its name ends in {@code .gz}
     * @param expectedMagic {@link #IMAGES_MAGIC} or {@link #LABELS_MAGIC}
     * @return the header
     * @throws DatasetFileException if the file is unreadable, truncated, too long or of another
     *     kind
     */
    static Header check(Path file, int expectedMagic) throws DatasetFileException {
        int ndims = expectedMagic & 0xff;
        CountingInputStream counted = null;
        long expected = -1;
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
                CountingInputStream counting = new CountingInputStream(decompressed(file, raw));
                DataInputStream in = new DataInputStream(counting)) {
            counted = counting;
            int magic = in.readInt();
            if (magic != expectedMagic) {
                throw new DatasetFileException(
                        file,
                        String.format(
                                "bad magic number 0x%08x, expected 0x%08x (an IDX file of unsigned"
                                        + " bytes with %d dimension%s)",
                                magic, expectedMagic, ndims, ndims == 1 ? "" : "s"));
            }
            int[] dims = new int[ndims];
            for (int i = 0; i < ndims; i++) {
                dims[i] = in.readInt();
                if (dims[i] <= 0) {
                    throw new DatasetFileException(
                            file, "bad header: dimension " + i + " is " + dims[i]);
                }
            }
            Header header = new Header(file, dims);
            expected = 4L + 4L * ndims + header.payloadBytes();
            in.transferTo(OutputStream.nullOutputStream());
            long read = counting.count;
            if (read != expected) {
                throw new DatasetFileException(
                        file,
                        "expected "
                                + expected
                                + " bytes for dimensions "
                                + Arrays.toString(dims)
                                + " (header included), found "
                                + read
                                + (read < expected ? ": the file is truncated" : ""));
            }
            return header;
        } catch (DatasetFileException e) {
            throw e;
        } catch (EOFException | ZipException e) {
            throw new DatasetFileException(
                    file,
                    "truncated or corrupt after "
                            + (counted == null ? 0 : counted.count)
                            + " bytes"
                            + (isGzip(file) ? " of decompressed data" : "")
                            + (expected > 0 ? ", expected " + expected : "")
                            + " ("
                            + e.getMessage()
                            + ")",
                    e);
        } catch (IOException e) {
            throw new DatasetFileException(file, "cannot be read: " + e, e);
        }
    }

    static boolean isGzip(Path file) {
        return file.getFileName().toString().endsWith(".gz");
    }

    private static InputStream decompressed(Path file, InputStream raw) throws IOException {
        return isGzip(file) ? new GZIPInputStream(raw, 1 << 16) : raw;
    }

    /** Counts the bytes read through it, to say where a truncated file ends. */
    private static final class CountingInputStream extends FilterInputStream {
        long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
