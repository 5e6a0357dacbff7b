package io.spotlight.trainer.explain;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What one {@code explain} call did: a row per image and head that was explained, the images that
 * failed with their reasons, and the files written.
 *
 * @param layer the layer the maps were taken at, as resolved (e.g. {@code trunk/0})
 * @param rows one per explained image and head, in input order then head order (then a combined row)
 * @param failures images that could not be explained, in input order
 * @param written the PNG files written
 */
public record ExplainResult(String method, String layer, List<Row> rows, List<Failure> failures, List<Path> written,
        List<String> metricNames, Map<String, Map<String, Map<String, Double>>> metrics, List<String> notes) {
    public ExplainResult {
        rows = List.copyOf(rows);
        failures = List.copyOf(failures);
        written = List.copyOf(written);
        metricNames = List.copyOf(metricNames);
        notes = List.copyOf(notes);
    }

    /** Without metrics. */
    public ExplainResult(String method, String layer, List<Row> rows, List<Failure> failures, List<Path> written) {
        this(method, layer, rows, failures, written, List.of(), Map.of(), List.of());
    }

    /** The value of {@code metric} for a row's image and head ({@code --metrics}), or null when it was not computed. */
    public Double metric(Row row, String metric) {
        return metrics.getOrDefault(row.name(), Map.of()).getOrDefault(row.head(), Map.of()).get(metric);
    }

    /**
     * One head's explanation of one image.
     *
     * @param image the input file
     * @param name the stem the output files are named after ({@code NAME-grid.png})
     * @param head the head, or e.g. {@code combined(mean)} for the heads' combined map
     * @param classIndex the explained class, or {@link #NO_CLASS} for a combined map
     * @param className its name; for a combined map {@code -}, or the heads' weights
     * @param probability the head's softmax probability of that class; NaN for a combined map
     * @param peakRow row of the map's maximum after bilinear upsampling to the input size, in input pixels
     *     (the first in row order on ties, so (0, 0) for a constant map)
     * @param peakColumn column of that maximum
     */
    public record Row(Path image, String name, String head, int classIndex, String className, double probability,
            int peakRow, int peakColumn) {
        /** The class index of a row that explains no single class (a combination of heads). */
        public static final int NO_CLASS = -1;
    }

    /** An image that could not be explained, and why. */
    public record Failure(Path image, String reason) {}

    /** True if every image was explained. */
    public boolean ok() {
        return failures.isEmpty();
    }

    /** The table {@code explain} prints: image, head, class, probability, peak (row, col). */
    public String table() {
        List<String[]> lines = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("image", "head", "class", "probability", "peak (row, col)"));
        header.addAll(metricNames);
        lines.add(header.toArray(new String[0]));
        for (Row r : rows) {
            List<String> line = new ArrayList<>(List.of(r.image().getFileName().toString(), r.head(),
                r.classIndex() == Row.NO_CLASS ? r.className() : r.classIndex() + " " + r.className(),
                Double.isNaN(r.probability()) ? "-" : String.format(Locale.ROOT, "%.4f", r.probability()),
                "(" + r.peakRow() + ", " + r.peakColumn() + ")"));
            for (String m : metricNames) {
                Double v = metric(r, m);
                line.add(v == null ? "-" : String.format(Locale.ROOT, "%.4f", v));
            }
            lines.add(line.toArray(new String[0]));
        }
        int[] widths = new int[lines.get(0).length];
        for (String[] l : lines) {
            for (int i = 0; i < l.length; i++) {
                widths[i] = Math.max(widths[i], l[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] l : lines) {
            for (int i = 0; i < l.length; i++) {
                out.append(i == 0 ? "" : "  ").append(String.format("%-" + widths[i] + "s", l[i]));
            }
            out.append(System.lineSeparator());
        }
        notes.forEach(n -> out.append("note: ").append(n).append(System.lineSeparator()));
        return out.toString();
    }

    /** The failures as lines {@code FILE: reason}, or "" if there are none. */
    public String failureReport() {
        StringBuilder out = new StringBuilder();
        for (Failure f : failures) {
            out.append(f.image()).append(": ").append(f.reason()).append(System.lineSeparator());
        }
        return out.toString();
    }
}
