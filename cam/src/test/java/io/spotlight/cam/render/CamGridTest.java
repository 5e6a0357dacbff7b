package io.spotlight.cam.render;

import static io.spotlight.cam.render.CamGrid.GAP;
import static io.spotlight.cam.render.CamGrid.HEADER_HEIGHT;
import static io.spotlight.cam.render.CamGrid.LABEL_HEIGHT;
import static io.spotlight.cam.render.RenderFixtures.rgb;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class CamGridTest {
    private static final int BACKGROUND = 0xFFFFFF;
    private static final int CELL = 112; // 28 px at cell scale 4

    private static List<HeadCell> twoHeads(String leftClass, String rightClass) {
        return List.of(
                new HeadCell("left", leftClass, 0.93, RenderFixtures.peakAt(7, 7, 3, 1)),
                new HeadCell("right", rightClass, 0.71, RenderFixtures.peakAt(7, 7, 3, 5)));
    }

    private static BufferedImage twoRowGrid() {
        return CamGrid.builder()
                .cellScale(4)
                .colormap(Colormaps.jet())
                .alpha(0.4)
                .addRow(RenderFixtures.randomGray(28, 28, 1), twoHeads("Trouser", "Bag"))
                .addRow("#2 Sandal/Shirt", RenderFixtures.randomGray(28, 28, 2), twoHeads("Sandal", "Shirt"))
                .render();
    }

    private static int columnX(int column) {
        return GAP + column * (CELL + GAP);
    }

    private static int rowY(int row) {
        return HEADER_HEIGHT + row * (CELL + LABEL_HEIGHT + GAP);
    }

    /** Pixels in the box that are not background. */
    private static int inked(BufferedImage image, int x, int y, int width, int height) {
        int count = 0;
        for (int j = y; j < y + height; j++) {
            for (int i = x; i < x + width; i++) {
                if (rgb(image, i, j) != BACKGROUND) {
                    count++;
                }
            }
        }
        return count;
    }

    @Test
    void theGridIsColumnsOfCellsUnderAHeaderAndDecodesAsPng() {
        BufferedImage grid = RenderFixtures.decode(Png.toBytes(twoRowGrid()));
        assertEquals(GAP + 3 * (CELL + GAP), grid.getWidth()); // input + two heads: 352
        assertEquals(HEADER_HEIGHT + 2 * (CELL + LABEL_HEIGHT + GAP), grid.getHeight()); // 288
        assertEquals(352, grid.getWidth());
        assertEquals(288, grid.getHeight());
    }

    @Test
    void cellsAreSizedByTheInputTimesTheScale() {
        BufferedImage grid = CamGrid.builder()
                .cellScale(2)
                .addRow(RenderFixtures.randomGray(56, 28, 1), List.of(HeadCell.of("left", 1, 0.5, new float[7][14])))
                .render();
        assertEquals(GAP + 2 * (112 + GAP), grid.getWidth());
        assertEquals(HEADER_HEIGHT + 56 + LABEL_HEIGHT + GAP, grid.getHeight());
    }

    @Test
    void theInputCellIsTheInputEnlargedWithoutSmoothing() {
        BufferedImage input = RenderFixtures.randomGray(28, 28, 7);
        BufferedImage grid = CamGrid.builder().addRow(input, twoHeads("Trouser", "Bag")).render();
        for (int y = 0; y < CELL; y++) {
            for (int x = 0; x < CELL; x++) {
                int grey = input.getRaster().getSample(x / 4, y / 4, 0);
                assertEquals(grey * 0x010101, rgb(grid, columnX(0) + x, rowY(0) + y), "at " + x + "," + y);
            }
        }
    }

    @Test
    void headCellsAreOverlaysOfTheEnlargedInput() {
        BufferedImage input = RenderFixtures.randomGray(28, 28, 8);
        List<HeadCell> heads = twoHeads("Trouser", "Bag");
        BufferedImage grid = CamGrid.builder().colormap(Colormaps.viridis()).alpha(0.5).addRow(input, heads).render();
        for (int h = 0; h < 2; h++) {
            BufferedImage expected = new Overlay(Colormaps.viridis(), 0.5)
                    .render(Images.upscaleNearest(input, 4), heads.get(h).map());
            for (int y = 0; y < CELL; y++) {
                for (int x = 0; x < CELL; x++) {
                    assertEquals(rgb(expected, x, y), rgb(grid, columnX(h + 1) + x, rowY(0) + y));
                }
            }
        }
    }

    @Test
    void labelsAndTitlesAreDrawn() {
        BufferedImage grid = twoRowGrid();
        int labelTop = rowY(0) + CELL;
        for (int column = 1; column <= 2; column++) {
            assertTrue(inked(grid, columnX(column), labelTop, CELL, LABEL_HEIGHT) > 30, "caption of column " + column);
            assertTrue(inked(grid, columnX(column), 0, CELL, HEADER_HEIGHT) > 30, "title of column " + column);
        }
        assertTrue(inked(grid, columnX(0), 0, CELL, HEADER_HEIGHT) > 30, "title of the input column");
        assertEquals(0, inked(grid, columnX(0), labelTop, CELL, LABEL_HEIGHT), "row 0 has no row label");
        assertTrue(inked(grid, columnX(0), rowY(1) + CELL, CELL, LABEL_HEIGHT) > 30, "row 1's label");
    }

    @Test
    void differentCaptionsDrawDifferentPixels() {
        BufferedImage black = RenderFixtures.solidGray(28, 28, 0);
        BufferedImage trouser = CamGrid.builder().addRow(black, twoHeads("Trouser", "Bag")).render();
        BufferedImage coat = CamGrid.builder().addRow(black, twoHeads("Coat", "Bag")).render();
        int labelTop = rowY(0) + CELL;
        int differing = 0;
        for (int y = labelTop; y < labelTop + LABEL_HEIGHT; y++) {
            for (int x = columnX(1); x < columnX(1) + CELL; x++) {
                if (rgb(trouser, x, y) != rgb(coat, x, y)) {
                    differing++;
                }
            }
        }
        assertTrue(differing > 30, "only " + differing + " pixels differ");
    }

    @Test
    void longCaptionsStayInsideTheirCell() {
        String longName = "a class name far too long to fit under one cell of the grid";
        BufferedImage grid = CamGrid.builder()
                .cellScale(2)
                .addRow(longName, RenderFixtures.solidGray(28, 28, 0),
                        List.of(new HeadCell(longName, longName, 0.5, new float[2][2]),
                                new HeadCell("right", longName, 0.5, new float[2][2])))
                .render();
        int cell = 56;
        int labelTop = rowY(0) + cell;
        for (int column = 0; column <= 3; column++) {
            int gapX = column * (cell + GAP);
            assertEquals(0, inked(grid, gapX, 0, GAP, HEADER_HEIGHT), "header gap before column " + column);
            assertEquals(0, inked(grid, gapX, labelTop, GAP, LABEL_HEIGHT), "caption gap before column " + column);
        }
        assertTrue(inked(grid, GAP + cell + GAP, labelTop, cell, LABEL_HEIGHT) > 10, "shortened caption drawn");
    }

    @Test
    void captionsNameHeadClassAndProbability() {
        assertEquals("left: Trouser 0.93", new HeadCell("left", "Trouser", 0.926, new float[1][1]).label());
        assertEquals("right: 3 0.50", HeadCell.of("right", 3, 0.5, new float[1][1]).label());
        assertEquals("left: Trouser", new HeadCell("left", "Trouser", Double.NaN, new float[1][1]).label());
        assertEquals("combined(mean)", HeadCell.combined("combined(mean)", new float[1][1]).label(), "no class, no probability");
        assertThrows(IllegalArgumentException.class, () -> new HeadCell("left", "Trouser", 1.2, new float[1][1]));
        assertThrows(IllegalArgumentException.class, () -> new HeadCell("left", null, 0.5, new float[1][1]));
    }

    @Test
    void inconsistentRowsAndOptionsAreRejected() {
        CamGrid.Builder builder = CamGrid.builder().addRow(RenderFixtures.solidGray(28, 28, 0), twoHeads("a", "b"));
        assertThrows(IllegalArgumentException.class,
                () -> builder.addRow(RenderFixtures.solidGray(56, 28, 0), twoHeads("a", "b")));
        assertThrows(IllegalArgumentException.class,
                () -> builder.addRow(RenderFixtures.solidGray(28, 28, 0), twoHeads("a", "b").subList(0, 1)));
        assertThrows(IllegalArgumentException.class, () -> builder.addRow(RenderFixtures.solidGray(28, 28, 0), List.of()));
        assertThrows(IllegalStateException.class, () -> CamGrid.builder().render());
        assertThrows(IllegalArgumentException.class, () -> CamGrid.builder().cellScale(0));
        assertThrows(IllegalArgumentException.class, () -> CamGrid.builder().alpha(2));
        assertEquals(HEADER_HEIGHT + CELL + LABEL_HEIGHT + GAP, builder.render().getHeight(),
                "rejected rows are not added");
    }
}
