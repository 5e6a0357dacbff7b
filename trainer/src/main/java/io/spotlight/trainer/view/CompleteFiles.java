package io.spotlight.trainer.view;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether a snapshot file is whole. Spotlight writes its snapshots atomically, but a run of an
 * older version, a copy in progress or another writer may leave a file half-written while the page
 * reads the folder: such a file is skipped until it is complete. A PNG is complete when it ends with
 * its IEND chunk, a JSON file when it parses. Answers are cached by size and modification time, so
 * the viewer's polling reads each file once.
 */
final class CompleteFiles {
    /** The last 12 bytes of every PNG: the empty IEND chunk and its CRC. */
    private static final byte[] PNG_END = {0, 0, 0, 0, 'I', 'E', 'N', 'D', (byte) 0xAE, 0x42, 0x60, (byte) 0x82};
    private static final byte[] PNG_START = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Seen(long size, long modified, boolean complete) {}

    private final Map<Path, Seen> seen = new ConcurrentHashMap<>();

    boolean png(Path file) {
        return check(file, CompleteFiles::pngIsWhole);
    }

    boolean json(Path file) {
        return check(file, f -> {
            JSON.readTree(f.toFile());
            return true;
        });
    }

    private interface Check {
        boolean whole(Path file) throws IOException;
    }

    private boolean check(Path file, Check check) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            if (!a.isRegularFile()) {
                return false;
            }
            Seen before = seen.get(file);
            long modified = a.lastModifiedTime().toMillis();
            if (before != null && before.size == a.size() && before.modified == modified) {
                return before.complete;
            }
            boolean complete;
            try {
                complete = check.whole(file);
            } catch (IOException partial) {
                complete = false;
            }
            seen.put(file, new Seen(a.size(), modified, complete));
            return complete;
        } catch (IOException gone) {
            return false;
        }
    }

    private static boolean pngIsWhole(Path file) throws IOException {
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            if (in.length() < PNG_START.length + PNG_END.length) {
                return false;
            }
            byte[] start = new byte[PNG_START.length];
            in.readFully(start);
            byte[] end = new byte[PNG_END.length];
            in.seek(in.length() - PNG_END.length);
            in.readFully(end);
            return Arrays.equals(start, PNG_START) && Arrays.equals(end, PNG_END);
        }
    }
}
