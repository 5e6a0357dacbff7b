package io.spotlight.cam.render;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The colormaps Spotlight ships, and lookup by name (as used in configs). */
public final class Colormaps {
    /**
     * Classic MATLAB/OpenCV jet: dark blue (0) → blue → cyan → yellow → red → dark red (1), that is
     * {@code r = clamp(1.5 - |4v - 3|)}, {@code g = clamp(1.5 - |4v - 2|)}, {@code b = clamp(1.5 -
     * |4v - 1|)}: piecewise linear with corners at the positions below (0.5 stored as 0x80).
     */
    private static final Colormap JET = new PiecewiseLinearColormap(
            "jet",
            new double[] {0, 1 / 8.0, 3 / 8.0, 5 / 8.0, 7 / 8.0, 1},
            new int[] {0x000080, 0x0000FF, 0x00FFFF, 0xFFFF00, 0xFF0000, 0x800000});

    /**
     * Viridis (van der Walt, Smith and Firing; CC0): every 8th entry of the 256-entry table, plus
     * the last. Linear interpolation between them stays within 2/255 per channel of the full table,
     * and keeps luminance strictly increasing.
     */
    private static final Colormap VIRIDIS = PiecewiseLinearColormap.fromTableSamples("viridis", 8, 255,
            0x440154, 0x470D60, 0x48186A, 0x482374, 0x472D7B, 0x453781, 0x424086, 0x3E4989,
            0x3B528B, 0x375B8D, 0x33638D, 0x2F6B8E, 0x2C728E, 0x297A8E, 0x26828E, 0x23898E,
            0x21918C, 0x1F988B, 0x1FA088, 0x22A785, 0x28AE80, 0x32B67A, 0x3FBC73, 0x4EC36B,
            0x5EC962, 0x70CF57, 0x84D44B, 0x98D83E, 0xADDC30, 0xC2DF23, 0xD8E219, 0xECE51B,
            0xFDE725);

    private static final Map<String, Colormap> BY_NAME = new LinkedHashMap<>();

    static {
        BY_NAME.put("jet", JET);
        BY_NAME.put("viridis", VIRIDIS);
    }

    private Colormaps() {}

    /** MATLAB/OpenCV jet: 0 → dark blue, 0.5 → light green, 1 → dark red. */
    public static Colormap jet() {
        return JET;
    }

    /** Matplotlib's perceptually uniform viridis: 0 → dark purple, 1 → yellow. */
    public static Colormap viridis() {
        return VIRIDIS;
    }

    /** The names {@link #byName} accepts. */
    public static List<String> names() {
        return List.copyOf(BY_NAME.keySet());
    }

    /**
     * The colormap called {@code name} (case-insensitive, surrounding blanks ignored).
     *
     * @throws IllegalArgumentException for an unknown name; the message lists the valid ones
     */
    public static Colormap byName(String name) {
        Colormap colormap = name == null ? null : BY_NAME.get(name.trim().toLowerCase(Locale.ROOT));
        if (colormap == null) {
            throw new IllegalArgumentException(
                    "Unknown colormap '" + name + "'; valid names: " + String.join(", ", names()));
        }
        return colormap;
    }
}
