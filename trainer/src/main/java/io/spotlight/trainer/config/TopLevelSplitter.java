package io.spotlight.trainer.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits an override value at commas that are not inside quotes, brackets, braces or parentheses,
 * so {@code 0.1,0.01} is two values while {@code "a,b"}, {@code [1,2]} and {@code range(1,4)} are one.
 */
final class TopLevelSplitter {
    private TopLevelSplitter() {}

    static List<String> split(String value) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int depth = 0;
        char quote = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (quote != 0) {
                if (c == '\\' && quote == '"' && i + 1 < value.length()) {
                    current.append(c).append(value.charAt(++i));
                    continue;
                }
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '[' || c == '{' || c == '(') {
                depth++;
            } else if (c == ']' || c == '}' || c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(current.toString().strip());
                current.setLength(0);
                continue;
            }
            current.append(c);
        }
        parts.add(current.toString().strip());
        return parts;
    }
}
