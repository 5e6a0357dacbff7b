package io.spotlight.cam.model;

import ai.djl.nn.Block;
import ai.djl.nn.BlockList;
import io.spotlight.cam.CamException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A layer inside a block tree, written as segments separated by {@code /}, each segment either a
 * 0-based child index ({@code 3}, like PyTorch's {@code nn.Sequential}) or a child name, with or
 * without DJL's two-digit prefix ({@code 04Conv2d} or {@code Conv2d} when unique, {@code left} for
 * the head of a {@link MultiHeadBlock} that DJL stores as {@code 02left}).
 */
public final class LayerPath {
    private final String name;
    private final List<Integer> indices;

    private LayerPath(String name, List<Integer> indices) {
        this.name = name;
        this.indices = Collections.unmodifiableList(indices);
    }

    /** Resolves {@code name} in the tree under {@code root}, or says which segment is wrong. */
    public static LayerPath resolve(Block root, String name) {
        if (name == null || name.isBlank()) {
            throw new CamException("target layer name is empty; expected e.g. '0' or 'trunk/3'");
        }
        List<Integer> indices = new ArrayList<>();
        Block block = root;
        String walked = "";
        for (String segment : name.split("[/.]")) {
            BlockList children = block.getChildren();
            int index = find(children, segment);
            if (index < 0) {
                throw new CamException(
                        "unknown target layer '"
                                + name
                                + "': no child '"
                                + segment
                                + "' in "
                                + (walked.isEmpty() ? "the model" : "'" + walked + "'")
                                + " ("
                                + block.getClass().getSimpleName()
                                + "); its children are "
                                + describe(children));
            }
            indices.add(index);
            block = children.get(index).getValue();
            walked = walked.isEmpty() ? segment : walked + "/" + segment;
        }
        return new LayerPath(name, indices);
    }

    private static int find(BlockList children, String segment) {
        if (segment.matches("\\d+") && !segment.startsWith("0") || segment.equals("0")) {
            int i = Integer.parseInt(segment);
            return i < children.size() ? i : -1;
        }
        int match = -1;
        for (int i = 0; i < children.size(); i++) {
            String key = children.get(i).getKey();
            if (key.equals(segment)) {
                return i;
            }
            if (key.replaceFirst("^\\d+", "").equals(segment)) {
                if (match >= 0) {
                    return -1; // ambiguous: the caller lists the children
                }
                match = i;
            }
        }
        return match;
    }

    static String describe(BlockList children) {
        if (children.isEmpty()) {
            return "none (it is a leaf)";
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < children.size(); i++) {
            names.add(i + "=" + children.get(i).getKey());
        }
        return String.join(", ", names);
    }

    /** The block this path points at. */
    public Block block(Block root) {
        Block block = root;
        for (int i : indices) {
            block = block.getChildren().get(i).getValue();
        }
        return block;
    }

    public String name() {
        return name;
    }

    public List<Integer> indices() {
        return indices;
    }

    /** True if {@code other} lies strictly inside this path's block. */
    boolean isAncestorOf(List<Integer> other) {
        return other.size() > indices.size() && other.subList(0, indices.size()).equals(indices);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LayerPath && ((LayerPath) o).indices.equals(indices);
    }

    @Override
    public int hashCode() {
        return indices.hashCode();
    }

    @Override
    public String toString() {
        return name;
    }
}
