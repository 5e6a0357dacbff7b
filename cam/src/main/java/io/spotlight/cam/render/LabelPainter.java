package io.spotlight.cam.render;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;

/** Draws one line of text centred in a box, shrinking and then shortening it until it fits. */
final class LabelPainter {
    static final int LARGEST_FONT_PX = 12;
    static final int SMALLEST_FONT_PX = 8;
    private static final String ELLIPSIS = "..";

    private final Graphics2D g;

    LabelPainter(Graphics2D g) {
        this.g = g;
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    }

    void drawCentered(String text, Color color, int x, int y, int width, int height) {
        if (text.isEmpty()) {
            return;
        }
        FontMetrics metrics = fittingMetrics(text, width);
        String shown = shortened(text, metrics, width);
        int textX = x + Math.max(0, (width - metrics.stringWidth(shown)) / 2);
        int baseline = y + (height - metrics.getHeight()) / 2 + metrics.getAscent();
        Shape clip = g.getClip();
        g.clipRect(x, y, width, height);
        g.setFont(metrics.getFont());
        g.setColor(color);
        g.drawString(shown, textX, baseline);
        g.setClip(clip);
    }

    private FontMetrics fittingMetrics(String text, int width) {
        FontMetrics metrics = null;
        for (int size = LARGEST_FONT_PX; size >= SMALLEST_FONT_PX; size--) {
            metrics = g.getFontMetrics(new Font(Font.SANS_SERIF, Font.PLAIN, size));
            if (metrics.stringWidth(text) <= width) {
                break;
            }
        }
        return metrics;
    }

    private static String shortened(String text, FontMetrics metrics, int width) {
        if (metrics.stringWidth(text) <= width) {
            return text;
        }
        for (int keep = text.length() - 1; keep > 0; keep--) {
            String candidate = text.substring(0, keep) + ELLIPSIS;
            if (metrics.stringWidth(candidate) <= width) {
                return candidate;
            }
        }
        return "";
    }
}
