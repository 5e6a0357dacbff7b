package io.spotlight.cam.render;

/** A colormap given by colours at increasing positions, linearly interpolated in between. */
final class PiecewiseLinearColormap implements Colormap {
    private final String name;
    private final double[] positions;
    private final double[][] colors;

    /**
     * Colours sampled every {@code step} entries from a lookup table whose last index is {@code
     * lastIndex}; the final colour is the table's last entry even where that is less than a step on.
     */
    static PiecewiseLinearColormap fromTableSamples(String name, int step, int lastIndex, int... rgb) {
        double[] positions = new double[rgb.length];
        for (int i = 0; i < rgb.length; i++) {
            positions[i] = Math.min(i * step, lastIndex) / (double) lastIndex;
        }
        return new PiecewiseLinearColormap(name, positions, rgb);
    }

    PiecewiseLinearColormap(String name, double[] positions, int[] rgb) {
        if (positions.length != rgb.length || positions.length < 2) {
            throw new IllegalArgumentException("need at least two positions, one colour each");
        }
        if (positions[0] != 0 || positions[positions.length - 1] != 1) {
            throw new IllegalArgumentException("positions must run from 0 to 1");
        }
        this.name = name;
        this.positions = positions.clone();
        this.colors = new double[rgb.length][];
        for (int i = 0; i < rgb.length; i++) {
            if (i > 0 && !(positions[i] > positions[i - 1])) {
                throw new IllegalArgumentException("positions must increase strictly");
            }
            colors[i] = new double[] {
                (rgb[i] >> 16 & 0xFF) / 255.0, (rgb[i] >> 8 & 0xFF) / 255.0, (rgb[i] & 0xFF) / 255.0
            };
        }
    }

    @Override
    public int rgb(double v) {
        double[] c = unitRgb(v);
        return Images.rgb(c[0], c[1], c[2]);
    }

    /** The colour before quantisation to 8 bits, channels in {@code [0, 1]}. */
    double[] unitRgb(double v) {
        double t = Double.isNaN(v) ? 0 : Math.max(0, Math.min(1, v));
        int hi = 1;
        while (hi < positions.length - 1 && positions[hi] < t) {
            hi++;
        }
        int lo = hi - 1;
        double f = (t - positions[lo]) / (positions[hi] - positions[lo]);
        double[] c = new double[3];
        for (int k = 0; k < 3; k++) {
            c[k] = colors[lo][k] + f * (colors[hi][k] - colors[lo][k]);
        }
        return c;
    }

    @Override
    public String toString() {
        return name;
    }
}
