package io.spotlight.trainer.tracking;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A run's "Model metrics" page in MLflow's UI, driven like a person does: the page is a
 * single-page app whose chart cards render only once scrolled into view, and an image card's step
 * slider moves to the next logged step on an arrow key (a click on the track lands between steps).
 */
final class MlflowRunPage {
  /** Generous: the first load of the UI's bundle from a server on a busy 2-core machine is slow. */
  private static final Duration WAIT = Duration.ofSeconds(60);
  private final ChromeDriver driver;

  private MlflowRunPage(ChromeDriver driver) {
    this.driver = driver;
  }

  /** Opens {@code <run page>/model-metrics}. */
  static MlflowRunPage open(ChromeDriver driver, String runPage) {
    driver.get(runPage + "/model-metrics");
    return new MlflowRunPage(driver);
  }

  /** The image card titled {@code key}, scrolled into view (its contents rendered). */
  WebElement card(String key) {
    By title = By.cssSelector("h4[title='" + key + "']");
    WebElement card = new WebDriverWait(driver, WAIT).until(d -> {
      List<WebElement> found = d.findElements(title);
      if (found.isEmpty()) {
        // not rendered yet: scroll the chart area further down and look again
        js("document.querySelectorAll('*').forEach(e => { const s = getComputedStyle(e).overflowY;"
            + " if ((s === 'auto' || s === 'scroll') && e.scrollHeight > e.clientHeight) e.scrollTop += 500; });");
        return null;
      }
      return found.get(0).findElement(By.xpath("./ancestor::*[@data-testid='experiment-view-compare-runs-card']"));
    });
    js("arguments[0].scrollIntoView({block: 'center'});", card);
    return card;
  }

  /** Presses the right arrow on the card's step slider: the next logged step. */
  void nextStep(WebElement card) {
    card.findElement(By.cssSelector("[role='slider']")).sendKeys(Keys.ARROW_RIGHT);
  }

  /** The step the card's slider shows. */
  long shownStep(WebElement card) {
    return Long.parseLong(card.findElement(By.cssSelector("[role='slider']")).getAttribute("aria-valuenow"));
  }

  /**
   * Waits until the card shows a loaded image whose file is the one of {@code key} at {@code
   * step} and returns its decoded {@code src}; fails after a timeout with what the card showed.
   */
  String awaitImage(WebElement card, String key, long step) {
    String wanted = "images/" + key + "+step+" + step + "+";
    try {
      return new WebDriverWait(driver, WAIT).until(d -> loadedImage(card).filter(src -> src.contains(wanted)).orElse(null));
    } catch (org.openqa.selenium.TimeoutException e) {
      throw new AssertionError("card " + key + " did not show a loaded image of step " + step + "; it shows "
          + loadedImage(card).orElse("no loaded image") + " (slider at " + shownStep(card) + ")", e);
    }
  }

  /** The decoded src of the card's image if the browser loaded it (naturalWidth > 0). */
  private Optional<String> loadedImage(WebElement card) {
    try {
      for (WebElement img : card.findElements(By.tagName("img"))) {
        Object width = js("return arguments[0].complete ? arguments[0].naturalWidth : 0;", img);
        if (width instanceof Number n && n.intValue() > 0) {
          return Optional.of(URLDecoder.decode(img.getAttribute("src"), StandardCharsets.UTF_8));
        }
      }
    } catch (StaleElementReferenceException e) {
      // React replaced the image while we looked: look again on the next poll
    }
    return Optional.empty();
  }

  /** Saves what the browser shows (for people: the README's screenshots come from here). */
  void screenshot(Path file) throws java.io.IOException {
    Files.createDirectories(file.getParent());
    Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
  }

  private Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }
}
