package io.spotlight.cam.render;

/**
 * Maps a value in {@code [0, 1]} to an opaque colour. Values outside the range are clamped, NaN is
 * treated as 0. Ready-made colormaps are in {@link Colormaps}.
 */
@FunctionalInterface
public interface Colormap {
    /** The colour for {@code v} as {@code 0xRRGGBB}. */
    int rgb(double v);
}
