package io.spotlight.trainer.tracking;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The run directory's record of everything the trainer reported, written before anything is
 * sent: {@code <runDir>/tracking/spool.jsonl} (one {@link SpoolLine} per line), the content of
 * images and artifacts under {@code blobs/}, the {@code sent.json} watermark, and
 * {@code rejected.jsonl} for lines the server refused for good.
 *
 * <p>Appends are synchronized and flushed line by line, so a crash loses at most the line being
 * written and a reader never sees half a line as complete. Credentials are never written here.
 */
final class Spool implements AutoCloseable {
  static final String DIR = "tracking";

  private final Path dir;
  private final Path file;
  private final Path blobs;
  private OutputStream out;
  private long lastSeq;

  private Spool(Path runDir) {
    this.dir = runDir.resolve(DIR);
    this.file = dir.resolve("spool.jsonl");
    this.blobs = dir.resolve("blobs");
  }

  /** Opens (or creates) the spool of a run directory for appending. */
  static Spool openForAppend(Path runDir) throws IOException {
    Spool spool = new Spool(runDir);
    Files.createDirectories(spool.blobs);
    spool.lastSeq = spool.scanLastSeq();
    spool.out =
        Files.newOutputStream(spool.file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    if (spool.endsInsideALine()) {
      spool.out.write('\n'); // a crash cut the last line short: keep the next one separate
    }
    return spool;
  }

  /** Opens an existing spool only to read it (for sync). */
  static Spool openForReading(Path runDir) throws IOException {
    Spool spool = new Spool(runDir);
    if (!Files.isRegularFile(spool.file)) {
      throw new IOException("no tracking spool at " + spool.file);
    }
    return spool;
  }

  Path file() {
    return file;
  }

  Path dir() {
    return dir;
  }

  synchronized SpoolLine append(SpoolEvent event, long timestamp) throws IOException {
    SpoolLine line = new SpoolLine(lastSeq + 1, timestamp, event);
    byte[] json = Json.MAPPER.writeValueAsBytes(line);
    byte[] record = new byte[json.length + 1];
    System.arraycopy(json, 0, record, 0, json.length);
    record[json.length] = '\n';
    out.write(record);
    out.flush();
    lastSeq = line.seq();
    return line;
  }

  /** The run's start, if the spool's first line is one (a run to continue on resume). */
  java.util.Optional<SpoolEvent.Start> start() throws IOException {
    List<SpoolLine> first = reader().next(1);
    if (!first.isEmpty() && first.get(0).event() instanceof SpoolEvent.Start start) {
      return java.util.Optional.of(start);
    }
    return java.util.Optional.empty();
  }

  synchronized long lastSeq() {
    return lastSeq;
  }

  /** Stores content under blobs/ and returns its name relative to the spool folder. */
  String writeBlob(String name, byte[] content) throws IOException {
    Files.write(blobs.resolve(name), content);
    return "blobs/" + name;
  }

  /** Copies a file under blobs/ now, so later changes to it do not change what is sent. */
  String copyBlob(String name, Path source) throws IOException {
    Files.copy(source, blobs.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    return "blobs/" + name;
  }

  Path resolveBlob(String relative) {
    return dir.resolve(relative);
  }

  Watermark readWatermark(String trackingUri) {
    Path path = dir.resolve("sent.json");
    try {
      if (Files.exists(path)) {
        return Json.MAPPER.readValue(path.toFile(), Watermark.class);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable watermark " + path, e);
    }
    return Watermark.nothingSent(trackingUri);
  }

  /** Replaces sent.json atomically, so a crash leaves either the old or the new watermark. */
  void writeWatermark(Watermark watermark) throws IOException {
    Path tmp = dir.resolve("sent.json.tmp");
    Files.write(tmp, Json.MAPPER.writeValueAsBytes(watermark));
    Files.move(
        tmp, dir.resolve("sent.json"),
        StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Keeps a line the server refused for good, with the server's reason, for a person to read. */
  synchronized void recordRejected(SpoolLine line, String reason) throws IOException {
    var record = java.util.Map.of("line", line, "reason", reason);
    Files.write(
        dir.resolve("rejected.jsonl"),
        (Json.MAPPER.writeValueAsString(record) + "\n").getBytes(StandardCharsets.UTF_8),
        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  SpoolReader reader() {
    return new SpoolReader(file);
  }

  private boolean endsInsideALine() throws IOException {
    try (var in = new java.io.RandomAccessFile(file.toFile(), "r")) {
      if (in.length() == 0) {
        return false;
      }
      in.seek(in.length() - 1);
      return in.read() != '\n';
    }
  }

  private long scanLastSeq() throws IOException {
    if (!Files.exists(file)) {
      return 0;
    }
    SpoolReader reader = reader();
    long last = 0;
    for (List<SpoolLine> lines = reader.next(10_000); !lines.isEmpty(); lines = reader.next(10_000)) {
      last = lines.get(lines.size() - 1).seq();
    }
    return last;
  }

  @Override
  public synchronized void close() throws IOException {
    if (out != null) {
      out.close();
      out = null;
    }
  }
}
