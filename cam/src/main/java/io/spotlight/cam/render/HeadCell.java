package io.spotlight.cam.render;

import java.util.Locale;

/**
 * One head's CAM for one sample, as shown in a {@link CamGrid} cell.
 *
 * @param headName the head, e.g. {@code "left"}
 * @param classLabel the class the map explains (name or index), e.g. {@code "Trouser"}; "" for a
 *     map of no single class (a combination of heads), whose caption is then its name alone
 * @param probability the head's probability for that class in {@code [0, 1]}, or NaN if unknown
 *     (then the label leaves it out)
 * @param map the CAM, {@code [row][column]}, any size (it is resized to the cell)
 */
public record HeadCell(String headName, String classLabel, double probability, float[][] map) {
    public HeadCell {
        if (headName == null || classLabel == null || map == null) {
            throw new IllegalArgumentException("headName, classLabel and map must not be null");
        }
        if (!Double.isNaN(probability) && !(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("probability must be in [0, 1] or NaN, got " + probability);
        }
    }

    /** A cell whose class is shown by its index. */
    public static HeadCell of(String headName, int classIndex, double probability, float[][] map) {
        return new HeadCell(headName, Integer.toString(classIndex), probability, map);
    }

    /**
     * A column combining several heads' maps (see {@code HeadCombiner}): no class, no probability.
     *
     * @param name e.g. {@code "combined(mean)"}: the column title and the caption
     */
    public static HeadCell combined(String name, float[][] map) {
        return new HeadCell(name, "", Double.NaN, map);
    }

    /** The caption, e.g. {@code "left: Trouser 0.93"}, or {@code "combined(mean)"}. */
    public String label() {
        String label = classLabel.isEmpty() ? headName : headName + ": " + classLabel;
        return Double.isNaN(probability) ? label : label + String.format(Locale.ROOT, " %.2f", probability);
    }
}
