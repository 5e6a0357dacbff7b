package io.spotlight.trainer.data.folder;

import io.spotlight.trainer.data.DatasetFileException;
import io.spotlight.trainer.data.Head;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * {@value #NAME}: a CSV manifest with a header {@code image, label_<head>, mask_<head>, ...}: one
 * head per {@code label_} column (in column order), its mask in {@code mask_<head>} (empty cell or
 * no such column = no mask). Paths are relative to the manifest's folder. A head's classes are
 * given or else the sorted distinct labels of its column. Every error names the manifest, the row
 * and the column.
 */
public final class ManifestDataset extends FileDataset {
    /** The data set's name in configs. */
    public static final String NAME = "manifest";
    static final String IMAGE = "image";
    static final String LABEL = "label_";
    static final String MASK = "mask_";

    private final Path manifest;
    private final List<Head> heads;
    private final List<CSVRecord> rows;

    private ManifestDataset(Builder builder) {
        super(builder);
        if (builder.manifest == null) {
            throw new IllegalArgumentException("a manifest data set needs a manifest (optManifest)");
        }
        this.manifest = builder.manifest;
        try {
            // Read now: the heads come from the header, and classes may come from the labels.
            rows = readRows(manifest);
            heads = heads(rows.isEmpty() ? List.of() : rows.get(0).getParser().getHeaderNames(), builder.classes);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e); // the message names the file
        }
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /** {@inheritDoc} */
    @Override
    public List<Head> heads() {
        return heads;
    }

    /** @return the manifest file */
    public Path manifest() {
        return manifest;
    }

    /** {@inheritDoc} */
    @Override
    protected Path source() {
        return manifest;
    }

    private List<CSVRecord> readRows(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new DatasetFileException(file, "no such manifest");
        }
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true)
                .setTrim(true).setIgnoreEmptyLines(true).get();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                CSVParser parser = CSVParser.parse(reader, format)) {
            List<String> header = parser.getHeaderNames();
            if (!header.contains(IMAGE) || header.stream().noneMatch(h -> h.startsWith(LABEL))) {
                throw new DatasetFileException(file, "header " + header + " needs a column '" + IMAGE
                        + "' and at least one 'label_<head>' column");
            }
            List<CSVRecord> records = parser.getRecords();
            if (records.isEmpty()) {
                throw new DatasetFileException(file, "no rows");
            }
            return records;
        } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
            throw new DatasetFileException(file, "not a valid CSV manifest: " + e.getMessage(), e);
        }
    }

    /** One head per label column; classes given, or the sorted distinct labels. */
    private List<Head> heads(List<String> header, Map<String, List<String>> given) {
        List<Head> out = new ArrayList<>();
        for (String column : header) {
            if (!column.startsWith(LABEL)) {
                continue;
            }
            String name = column.substring(LABEL.length());
            List<String> classes = given.get(name);
            if (classes == null) {
                TreeSet<String> seen = new TreeSet<>();
                rows.forEach(r -> seen.add(r.get(column)));
                classes = List.copyOf(seen);
            }
            out.add(new Head(name, classes));
        }
        for (String head : given.keySet()) { // a typo in a config's class lists must not pass silently
            if (out.stream().noneMatch(h -> h.name().equals(head))) {
                throw new IllegalArgumentException(manifest + ": classes given for head '" + head
                        + "' but the header has no column " + LABEL + head + "; heads: "
                        + out.stream().map(Head::name).toList());
            }
        }
        return List.copyOf(out);
    }

    /** {@inheritDoc} */
    @Override
    protected List<Entry> list() throws IOException {
        Path dir = manifest.toAbsolutePath().getParent();
        List<String> header = rows.get(0).getParser().getHeaderNames();
        List<Entry> entries = new ArrayList<>();
        for (CSVRecord row : rows) {
            String at = manifest + ", row " + row.getRecordNumber() + " (line " + (row.getRecordNumber() + 1) + ")";
            String imageCell = row.isSet(IMAGE) ? row.get(IMAGE) : "";
            if (imageCell.isEmpty()) {
                throw new DatasetFileException(manifest, "row " + row.getRecordNumber() + ", column " + IMAGE
                        + ": empty image path");
            }
            int[] labels = new int[heads.size()];
            List<Path> masks = new ArrayList<>();
            List<String> maskWhere = new ArrayList<>();
            for (int h = 0; h < heads.size(); h++) {
                Head head = heads.get(h);
                String labelColumn = LABEL + head.name();
                String label = row.isSet(labelColumn) ? row.get(labelColumn) : "";
                labels[h] = head.classNames().indexOf(label);
                if (labels[h] < 0) {
                    throw new DatasetFileException(manifest, "row " + row.getRecordNumber() + ", column "
                            + labelColumn + ": unknown label '" + label + "'; head '" + head.name()
                            + "' has classes " + head.classNames());
                }
                String maskColumn = MASK + head.name();
                String mask = header.contains(maskColumn) && row.isSet(maskColumn) ? row.get(maskColumn) : "";
                masks.add(mask.isEmpty() ? null : dir.resolve(mask));
                maskWhere.add(at + ", column " + maskColumn);
            }
            entries.add(new Entry(dir.resolve(imageCell), labels, masks, at + ", column " + IMAGE, maskWhere));
        }
        return entries;
    }

    /** Builds a {@link ManifestDataset}. */
    public static final class Builder extends BaseBuilder<Builder> {
        Path manifest;
        Map<String, List<String>> classes = new LinkedHashMap<>();

        /** {@inheritDoc} */
        @Override
        protected Builder self() {
            return this;
        }

        /**
         * @param manifest the CSV file; paths in it are relative to its folder
         * @return this builder
         */
        public Builder optManifest(Path manifest) {
            this.manifest = manifest;
            return this;
        }

        /**
         * @param head a head's name (its column is {@code label_<head>})
         * @param classNames its classes, index = label; a label not among them is an error
         * @return this builder
         */
        public Builder optClasses(String head, List<String> classNames) {
            this.classes.put(head, List.copyOf(classNames));
            return this;
        }

        /** @return the data set (images are read on {@code prepare}) */
        public ManifestDataset build() {
            return new ManifestDataset(this);
        }
    }
}
