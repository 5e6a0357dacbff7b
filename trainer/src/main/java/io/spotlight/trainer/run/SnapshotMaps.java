package io.spotlight.trainer.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.spotlight.cam.CamResult;
import io.spotlight.cam.render.HeadCell;
import io.spotlight.cam.render.Png;
import io.spotlight.trainer.data.Head;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The raw per-head maps of one CAM snapshot, written next to its PNG as {@code
 * snapshots/cams-stepNNNNNNN.maps.json}, so that {@code ./spotlight view} can re-colour, blend and
 * toggle each head in the browser. Compact: each map is stored at the layer's resolution as 8-bit
 * values with its own scale.
 *
 * <pre>{@code
 * {"format": "spotlight-cam-maps", "version": 1, "step": 40, "method": "hirescam", "layer": "conv1",
 *  "combine": "mean", "colormap": "jet", "heads": ["label"], "map_height": 28, "map_width": 28,
 *  "samples": [{"row_label": "label Trouser", "input_png": "<base64 PNG of the probe image>",
 *               "heads": {"label": {"class": "Trouser", "probability": 0.93, "scale": 0.0123,
 *                                   "map_u8": "<base64 of map_height * map_width bytes, row by row>"}}}]}
 * }</pre>
 *
 * A map value is {@code map_u8[y * map_width + x] / 255 * scale}: the head's ReLU'd map (positive
 * evidence, as the PNG shows it), {@code scale} its maximum (0 for a map with no positive value).
 * The quantisation error is at most {@code scale / 510}; the display divides by the maximum anyway.
 */
public final class SnapshotMaps {
    public static final String FORMAT = "spotlight-cam-maps";
    public static final int VERSION = 1;
    /** Appended to the snapshot's name in place of {@code .png}. */
    public static final String SUFFIX = ".maps.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Object> content;

    private SnapshotMaps(Map<String, Object> content) {
        this.content = content;
    }

    /**
     * Takes the maps off the device (call it while the result's arrays are alive).
     *
     * @param about method, layer, combine and colormap of the snapshot, recorded as they are
     */
    static SnapshotMaps of(CamResult r, String layer, List<Head> heads, List<BufferedImage> inputs,
            List<String> rowLabels, Map<String, Object> about) {
        List<Map<String, Object>> samples = new ArrayList<>();
        int[] hw = {0, 0};
        for (int i = 0; i < inputs.size(); i++) {
            Map<String, Object> perHead = new LinkedHashMap<>();
            for (Head head : heads) {
                HeadCell cell = CamSnapshotListener.headCell(r, layer, head, i);
                hw[0] = cell.map().length;
                hw[1] = cell.map()[0].length;
                perHead.put(head.name(), encode(cell));
            }
            Map<String, Object> sample = new LinkedHashMap<>();
            sample.put("row_label", rowLabels.get(i));
            sample.put("input_png", Base64.getEncoder().encodeToString(Png.toBytes(inputs.get(i))));
            sample.put("heads", perHead);
            samples.add(sample);
        }
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("format", FORMAT);
        content.put("version", VERSION);
        content.put("step", null); // set by at(step); here to keep it near the top of the file
        content.putAll(about);
        content.put("heads", heads.stream().map(Head::name).toList());
        content.put("map_height", hw[0]);
        content.put("map_width", hw[1]);
        content.put("samples", samples);
        return new SnapshotMaps(content);
    }

    private static Map<String, Object> encode(HeadCell cell) {
        float[][] map = cell.map();
        double max = 0;
        for (float[] row : map) {
            for (float v : row) {
                max = Math.max(max, v); // NaN never wins: the map is ReLU'd and finite in a healthy run
            }
        }
        byte[] bytes = new byte[map.length * map[0].length];
        for (int y = 0; y < map.length; y++) {
            for (int x = 0; x < map[y].length; x++) {
                bytes[y * map[y].length + x] = (byte) (max > 0 ? Math.round(255 * Math.max(0, map[y][x]) / max) : 0);
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("class", cell.classLabel());
        out.put("probability", cell.probability());
        out.put("scale", max);
        out.put("map_u8", Base64.getEncoder().encodeToString(bytes));
        return out;
    }

    /** Records the snapshot's global step. */
    SnapshotMaps at(long step) {
        content.put("step", step);
        return this;
    }

    /** The file beside the snapshot PNG {@code png}. */
    public static Path besidePng(Path png) {
        String name = png.getFileName().toString();
        return png.resolveSibling(name.substring(0, name.length() - ".png".length()) + SUFFIX);
    }

    /** Writes atomically (temporary file, then rename), so a reader never sees half of it. */
    void write(Path file) {
        try {
            RunFilesListener.writeAtomically(file, JSON.writeValueAsBytes(content));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
