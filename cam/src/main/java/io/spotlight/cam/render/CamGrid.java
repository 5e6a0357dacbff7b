package io.spotlight.cam.render;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * A grid of CAM overlays: one row per sample; columns are the input, then one overlay per head.
 * A header row carries the column titles ({@code "input"} and the head names of the first row),
 * and a label band under every cell carries its caption ({@link HeadCell#label()}, or the row
 * label under the input).
 *
 * <p>Cells are the input enlarged {@code cellScale} times (nearest neighbour, so pixels stay
 * crisp; the map is resized bilinearly to the enlarged cell). With a cell of {@code cellW x cellH}
 * px, {@code c} columns and {@code r} rows the image is {@code GAP + c * (cellW + GAP)} wide and
 * {@code HEADER_HEIGHT + r * (cellH + LABEL_HEIGHT + GAP)} high; column {@code j} starts at {@code
 * x = GAP + j * (cellW + GAP)}, row {@code i}'s cell at {@code y = HEADER_HEIGHT + i * (cellH +
 * LABEL_HEIGHT + GAP)} with its label band right below it.
 *
 * <pre>{@code
 * BufferedImage grid = CamGrid.builder().cellScale(4).colormap(Colormaps.jet()).alpha(0.4)
 *         .addRow("#17 Trouser/Bag", input, List.of(
 *                 new HeadCell("left", "Trouser", 0.93, leftMap),
 *                 new HeadCell("right", "Bag", 0.71, rightMap)))
 *         .render();
 * }</pre>
 */
public final class CamGrid {
    /** Space around and between cells, px. */
    public static final int GAP = 4;
    /** Height of the column-title row at the top, px. */
    public static final int HEADER_HEIGHT = 20;
    /** Height of the caption band under each cell, px. */
    public static final int LABEL_HEIGHT = 18;
    /** Title of the first column. */
    public static final String INPUT_TITLE = "input";

    static final Color BACKGROUND = Color.WHITE;
    static final Color TEXT = new Color(0x202020);

    private CamGrid() {}

    /** A builder with cell scale 4, jet and alpha {@link Overlay#DEFAULT_ALPHA}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Collects rows and options, then renders the grid. */
    public static final class Builder {
        private int cellScale = 4;
        private Colormap colormap = Colormaps.jet();
        private double alpha = Overlay.DEFAULT_ALPHA;
        private final List<Row> rows = new ArrayList<>();

        private Builder() {}

        /** How many times the input is enlarged in each direction (e.g. 4: 28 px → 112 px). */
        public Builder cellScale(int cellScale) {
            if (cellScale < 1) {
                throw new IllegalArgumentException("cellScale must be at least 1, got " + cellScale);
            }
            this.cellScale = cellScale;
            return this;
        }

        public Builder colormap(Colormap colormap) {
            if (colormap == null) {
                throw new IllegalArgumentException("colormap must not be null");
            }
            this.colormap = colormap;
            return this;
        }

        /** Weight of the colormap in the overlays, see {@link Overlay}. */
        public Builder alpha(double alpha) {
            if (!(alpha >= 0 && alpha <= 1)) {
                throw new IllegalArgumentException("alpha must be in [0, 1], got " + alpha);
            }
            this.alpha = alpha;
            return this;
        }

        /** A sample with no caption under its input cell. */
        public Builder addRow(BufferedImage input, List<HeadCell> heads) {
            return addRow("", input, heads);
        }

        /**
         * A sample; {@code rowLabel} is the caption under its input (e.g. index and true labels).
         * All rows must have inputs of the same size and the same number of heads (at least one).
         */
        public Builder addRow(String rowLabel, BufferedImage input, List<HeadCell> heads) {
            if (input == null || heads == null || heads.isEmpty()) {
                throw new IllegalArgumentException("a row needs an input image and at least one head");
            }
            if (!rows.isEmpty()) {
                Row first = rows.get(0);
                if (input.getWidth() != first.input.getWidth()
                        || input.getHeight() != first.input.getHeight()) {
                    throw new IllegalArgumentException("row " + rows.size() + " has a " + input.getWidth()
                            + "x" + input.getHeight() + " input, the first row " + first.input.getWidth()
                            + "x" + first.input.getHeight() + "; all inputs must have the same size");
                }
                if (heads.size() != first.heads.size()) {
                    throw new IllegalArgumentException("row " + rows.size() + " has " + heads.size()
                            + " heads, the first row " + first.heads.size());
                }
            }
            rows.add(new Row(rowLabel == null ? "" : rowLabel, input, List.copyOf(heads)));
            return this;
        }

        /** The grid as an RGB image. */
        public BufferedImage render() {
            if (rows.isEmpty()) {
                throw new IllegalStateException("no rows added");
            }
            Row first = rows.get(0);
            int cellWidth = first.input.getWidth() * cellScale;
            int cellHeight = first.input.getHeight() * cellScale;
            int columns = 1 + first.heads.size();
            int width = GAP + columns * (cellWidth + GAP);
            int height = HEADER_HEIGHT + rows.size() * (cellHeight + LABEL_HEIGHT + GAP);

            BufferedImage grid = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = grid.createGraphics();
            try {
                g.setColor(BACKGROUND);
                g.fillRect(0, 0, width, height);
                LabelPainter labels = new LabelPainter(g);
                for (int c = 0; c < columns; c++) {
                    String title = c == 0 ? INPUT_TITLE : first.heads.get(c - 1).headName();
                    labels.drawCentered(title, TEXT, columnX(c, cellWidth), 0, cellWidth, HEADER_HEIGHT);
                }
                Overlay overlay = new Overlay(colormap, alpha);
                for (int r = 0; r < rows.size(); r++) {
                    Row row = rows.get(r);
                    int y = HEADER_HEIGHT + r * (cellHeight + LABEL_HEIGHT + GAP);
                    BufferedImage enlarged = Images.upscaleNearest(row.input, cellScale);
                    g.drawImage(enlarged, columnX(0, cellWidth), y, null);
                    labels.drawCentered(
                            row.label, TEXT, columnX(0, cellWidth), y + cellHeight, cellWidth, LABEL_HEIGHT);
                    for (int h = 0; h < row.heads.size(); h++) {
                        HeadCell head = row.heads.get(h);
                        int x = columnX(h + 1, cellWidth);
                        g.drawImage(overlay.render(enlarged, head.map()), x, y, null);
                        labels.drawCentered(head.label(), TEXT, x, y + cellHeight, cellWidth, LABEL_HEIGHT);
                    }
                }
            } finally {
                g.dispose();
            }
            return grid;
        }

        private static int columnX(int column, int cellWidth) {
            return GAP + column * (cellWidth + GAP);
        }
    }

    private record Row(String label, BufferedImage input, List<HeadCell> heads) {}
}
