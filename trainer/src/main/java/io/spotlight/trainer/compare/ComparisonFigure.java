package io.spotlight.trainer.compare;

import io.spotlight.cam.render.Images;
import io.spotlight.trainer.run.CamSnapshotListener;
import io.spotlight.trainer.run.RunFilesListener;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * The comparison at a glance, for the compare parent run in MLflow: a bar chart of every variant's
 * accuracy on the decoy-randomised and the label-decoy test sets (mean over heads), and under it
 * the final CAM snapshots of the baseline and the default guided variant side by side.
 */
public final class ComparisonFigure {
    /** The artifact name next to comparison.json. */
    public static final String FILE = "comparison.png";
    /** The image key on the parent run (its model-metrics page shows it in a card). */
    public static final String KEY = "comparison";
    static final int CHART_WIDTH = 900;
    static final int CHART_HEIGHT = 360;
    private static final int TITLE_HEIGHT = 26;

    private ComparisonFigure() {}

    @SuppressWarnings("unchecked")
    public static BufferedImage render(Map<String, Object> comparison) throws IOException {
        Map<String, Object> variants = (Map<String, Object>) comparison.get("variants");
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        boolean severalHeads = false;
        for (Map.Entry<String, Object> v : variants.entrySet()) {
            Map<String, Map<String, Double>> heads = (Map<String, Map<String, Double>>) ((Map<String, Object>) v.getValue()).get("heads");
            severalHeads |= heads.size() > 1;
            mean(heads, "accuracy").ifPresent(a -> data.addValue(a, "decoy-randomised test", v.getKey()));
            mean(heads, "label_decoy_accuracy").ifPresent(a -> data.addValue(a, "label-decoy test", v.getKey()));
        }
        JFreeChart chart = ChartFactory.createBarChart(
                "Test accuracy per variant" + (severalHeads ? " (mean over heads)" : ""), null, "accuracy %", data,
                PlotOrientation.VERTICAL, true, false, false);
        chart.setBackgroundPaint(Color.WHITE);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.getRangeAxis().setRange(0, 100);
        BarRenderer bars = (BarRenderer) plot.getRenderer();
        bars.setBarPainter(new StandardBarPainter());
        bars.setShadowVisible(false);
        bars.setDefaultItemLabelsVisible(true);
        bars.setDefaultItemLabelGenerator(new org.jfree.chart.labels.StandardCategoryItemLabelGenerator(
                "{2}", new java.text.DecimalFormat("0.0")));
        List<BufferedImage> parts = new ArrayList<>();
        parts.add(chart.createBufferedImage(CHART_WIDTH, CHART_HEIGHT));

        List<BufferedImage> cams = new ArrayList<>();
        for (String role : List.of("baseline", "default_guided")) {
            String name = (String) comparison.get(role);
            Map<String, Object> variant = (Map<String, Object>) variants.get(name);
            if (variant != null) {
                Optional<Path> last = finalSnapshot(Path.of((String) variant.get("run_dir")));
                if (last.isPresent()) {
                    cams.add(titled(name + ": final CAMs", ImageIO.read(last.get().toFile())));
                }
            }
        }
        if (!cams.isEmpty()) {
            parts.add(Images.sideBySide(cams, 24));
        }
        return Images.stacked(parts, 12);
    }

    /** The run's last full CAM grid ({@code snapshots/cams-stepNNNNNNN.png}, the highest step). */
    static Optional<Path> finalSnapshot(Path runDir) throws IOException {
        Path dir = runDir.resolve(RunFilesListener.SNAPSHOTS);
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().matches(CamSnapshotListener.KEY + "-step\\d+\\.png"))
                    .max(java.util.Comparator.comparing(p -> p.getFileName().toString()));
        }
    }

    private static Optional<Double> mean(Map<String, Map<String, Double>> heads, String field) {
        double[] values = heads.values().stream().filter(m -> m.get(field) != null).mapToDouble(m -> m.get(field)).toArray();
        return values.length == 0 ? Optional.empty() : Optional.of(java.util.Arrays.stream(values).average().getAsDouble());
    }

    private static BufferedImage titled(String title, BufferedImage image) {
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight() + TITLE_HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, out.getWidth(), out.getHeight());
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
            g.drawString(title, 4, TITLE_HEIGHT - 8);
            g.drawImage(image, 0, TITLE_HEIGHT, null);
        } finally {
            g.dispose();
        }
        return out;
    }
}
