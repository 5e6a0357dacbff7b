package io.spotlight.trainer.tracking;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a spool file from where it last stopped, returning only complete lines: the writer may
 * be appending at the same time, so a line without its newline yet is left for the next call.
 * This reads from disk rather than from memory, so a long outage costs disk, not heap.
 */
final class SpoolReader {
  private static final Logger LOG = LoggerFactory.getLogger(SpoolReader.class);
  private static final int CHUNK = 1 << 16;

  private final Path file;
  private long offset;
  private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

  SpoolReader(Path file) {
    this.file = file;
  }

  private void parse(byte[] json, List<SpoolLine> lines) {
    try {
      lines.add(Json.MAPPER.readValue(json, SpoolLine.class));
    } catch (IOException e) {
      // Only a line cut short by a crash can be unreadable; skipping it loses only that line.
      LOG.warn("skipping an unreadable line in {}: {}", file, e.getMessage());
    }
  }

  /** Returns up to {@code max} further complete lines, or an empty list if none is there yet. */
  List<SpoolLine> next(int max) throws IOException {
    List<SpoolLine> lines = new ArrayList<>();
    if (!Files.exists(file)) {
      return lines;
    }
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      byte[] buffer = new byte[CHUNK];
      in.seek(offset);
      while (lines.size() < max) {
        int n = in.read(buffer);
        if (n <= 0) {
          break;
        }
        int start = 0;
        int consumed = 0;
        for (int i = 0; i < n && lines.size() < max; i++) {
          if (buffer[i] == '\n') {
            partial.write(buffer, start, i - start);
            byte[] json = partial.toByteArray();
            partial.reset();
            if (json.length > 0) {
              parse(json, lines);
            }
            start = i + 1;
            consumed = i + 1;
          }
        }
        if (lines.size() >= max) {
          offset += consumed; // stop right after the last line returned
          return lines;
        }
        partial.write(buffer, start, n - start);
        offset += n;
      }
    }
    // Bytes after the last newline stay in `partial`; the offset is past them.
    return lines;
  }
}
