package io.spotlight.trainer.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotlight.cam.render.Colormaps;
import io.spotlight.cam.render.HeadCell;
import io.spotlight.cam.render.Images;
import io.spotlight.cam.render.Png;
import io.spotlight.trainer.browser.HeadlessChrome;
import io.spotlight.trainer.compare.ComparisonFigure;
import io.spotlight.trainer.run.CamSnapshotListener;
import io.spotlight.trainer.run.RunFilesListener;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.WebElement;

/**
 * MLflow 3's own web UI, in a real headless Chromium, shows what a run logged: on a finished
 * two-head run's model-metrics page every CAM card ({@code cams_<head>}, {@code cams_combined})
 * loads its image at each logged step as the slider moves, and the compare parent's page shows
 * the comparison figure. Screenshots go to {@code target/mlflow-ui/}.
 */
class MlflowUiBrowserTest {
  @RegisterExtension static final MlflowServerExtension SERVER = new MlflowServerExtension();
  private static final List<Long> STEPS = List.of(0L, 40L, 80L);
  private static final List<String> KEYS =
      List.of("cams_left", "cams_right", CamSnapshotListener.COMBINED_KEY);
  private static final Path SCREENSHOTS = Path.of("target", "mlflow-ui");

  static HeadlessChrome chrome;

  @BeforeAll
  static void browser() {
    chrome = HeadlessChrome.startOrSkip();
  }

  @AfterAll
  static void closeBrowser() {
    if (chrome != null) {
      chrome.close();
    }
  }

  @Test
  void everyCamCardLoadsItsImageAtEveryLoggedStep(@TempDir Path runDir) throws Exception {
    String page;
    try (MlflowTracker tracker = MlflowTracker.create(SERVER.uri(), runDir, TestOptions.fast())) {
      tracker.startRun("browser", "two-heads", Map.of());
      for (long step : STEPS) {
        for (int k = 0; k < KEYS.size(); k++) {
          tracker.logImage(KEYS.get(k), step, Png.toBytes(card(KEYS.get(k), (int) step / 40 + k)));
        }
        tracker.logMetric("train/loss", 1.0 / (step + 1), step);
      }
      tracker.finish(RunStatus.FINISHED);
      tracker.close();
      page = tracker.runPage().orElseThrow();
    }
    MlflowRunPage run = MlflowRunPage.open(chrome.driver(), page);
    for (String key : KEYS) {
      WebElement card = run.card(key);
      for (long step : STEPS) {
        if (step != STEPS.get(0)) {
          run.nextStep(card);
        }
        String src = run.awaitImage(card, key, step);
        assertEquals(step, run.shownStep(card), key);
        assertTrue(src.endsWith("+compressed.png") || src.contains("+compressed.png&"), "the card loads the thumbnail: " + src);
        if (key.equals("cams_left") && step == STEPS.get(STEPS.size() - 1)) {
          run.screenshot(SCREENSHOTS.resolve("cam-cards.png"));
        }
      }
    }
  }

  @Test
  void theCompareParentShowsTheComparisonFigure(@TempDir Path dir) throws Exception {
    Map<String, Object> comparison = comparison(dir);
    byte[] figure = Png.toBytes(ComparisonFigure.render(comparison));
    String page;
    try (MlflowTracker parent = MlflowTracker.create(SERVER.uri(), dir.resolve("parent"), TestOptions.fast())) {
      parent.startRun("browser-compare", "compare-decoy", Map.of());
      parent.logArtifact(ComparisonFigure.FILE, figure);
      parent.logImage(ComparisonFigure.KEY, 0, figure);
      parent.finish(RunStatus.FINISHED);
      parent.close();
      page = parent.runPage().orElseThrow();
    }
    MlflowRunPage run = MlflowRunPage.open(chrome.driver(), page);
    WebElement card = run.card(ComparisonFigure.KEY);
    run.awaitImage(card, ComparisonFigure.KEY, 0);
    run.screenshot(SCREENSHOTS.resolve("comparison-card.png"));
  }

  /** A card as the snapshot listener draws it: four probes, maps peaking where {@code seed} says. */
  private static BufferedImage card(String key, int seed) {
    List<BufferedImage> inputs = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    List<HeadCell> cells = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      float[][] image = new float[28][56];
      float[][] map = new float[7][14];
      for (int y = 0; y < 28; y++) {
        for (int x = 0; x < 56; x++) {
          image[y][x] = (float) (0.5 + 0.5 * Math.sin((x + 3 * i) / 5.0) * Math.cos(y / 4.0));
        }
      }
      map[(seed + i) % 7][(2 * seed + 3 * i) % 14] = 1;
      inputs.add(Images.fromGray(image));
      labels.add("label " + i);
      cells.add(key.equals(CamSnapshotListener.COMBINED_KEY)
          ? HeadCell.combined("combined(mean)", map)
          : new HeadCell(key.substring(5), "Class" + i, 0.5 + 0.1 * i, map));
    }
    return CamSnapshotListener.card(inputs, labels, cells, Colormaps.jet());
  }

  /** A comparison.json of two variants whose run directories hold a final CAM snapshot. */
  private static Map<String, Object> comparison(Path dir) throws Exception {
    Map<String, Object> variants = new LinkedHashMap<>();
    double[][] accuracies = {{62.8, 93.6}, {84.4, 84.4}};
    String[] names = {"baseline", "hirescam-features"};
    for (int v = 0; v < names.length; v++) {
      Path runDir = Files.createDirectories(dir.resolve(names[v]).resolve(RunFilesListener.SNAPSHOTS)).getParent();
      Png.write(card("cams_label", v), runDir.resolve(RunFilesListener.SNAPSHOTS).resolve("cams-step0000100.png"));
      variants.put(names[v], Map.of(
          "heads", Map.of("label", Map.of("accuracy", accuracies[v][0], "label_decoy_accuracy", accuracies[v][1])),
          "wall_seconds", 10.0,
          "run_dir", runDir.toString()));
    }
    return Map.of("experiment", "decoy-fmnist", "baseline", names[0], "default_guided", names[1], "variants", variants);
  }
}
