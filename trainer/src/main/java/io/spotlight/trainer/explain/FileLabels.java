package io.spotlight.trainer.explain;

import io.spotlight.trainer.data.Head;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Labels written into file names, for {@code --target label}: {@code shirt_label3.png} gives every
 * head label 3, {@code pair_left3_right7.png} gives head {@code left} 3 and {@code right} 7 (a
 * head's own tag wins over {@code label}). A tag is a name followed by digits between {@code _},
 * {@code -} or the ends of the name.
 */
public final class FileLabels {
    /** The tag that applies to every head. */
    public static final String ALL_HEADS = "label";

    private static final Pattern TAG = Pattern.compile("(?<=^|[_-])([A-Za-z]+)(\\d+)(?=$|[_-])");

    private FileLabels() {}

    /** The labels the file name gives, by head name; heads without one are absent. */
    public static Map<String, Integer> parse(Path file, List<Head> heads) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot < 0 ? name : name.substring(0, dot);
        Map<String, Integer> tags = new HashMap<>();
        Matcher m = TAG.matcher(stem);
        while (m.find()) {
            try {
                tags.put(m.group(1), Integer.parseInt(m.group(2)));
            } catch (NumberFormatException e) {
                // too many digits to be a class: not a label tag
            }
        }
        Map<String, Integer> labels = new HashMap<>();
        for (Head h : heads) {
            Integer label = tags.containsKey(h.name()) ? tags.get(h.name()) : tags.get(ALL_HEADS);
            if (label != null) {
                labels.put(h.name(), label);
            }
        }
        return labels;
    }
}
