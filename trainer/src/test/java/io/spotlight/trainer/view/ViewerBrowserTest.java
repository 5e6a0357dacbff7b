package io.spotlight.trainer.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotlight.trainer.browser.HeadlessChrome;
import io.spotlight.trainer.run.RunFilesListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The viewer in a real, headless Chromium (Debian's chromium and chromium-driver), on real runs:
 * a finished two-head run, a comparison of two variants, a run that is still training, and a run
 * whose snapshots have no raw maps.
 */
class ViewerBrowserTest {
    private static final String LEFT = "canvas.overlay[data-head='left']";
    private static HeadlessChrome chrome;

    @BeforeAll
    static void browser() {
        chrome = HeadlessChrome.startOrSkip();
    }

    @AfterAll
    static void close() {
        if (chrome != null) {
            chrome.close();
        }
    }

    @Test
    void aFinishedRunLoadsWithNoConsoleErrors() throws Exception {
        try (ViewServer server = ViewServer.start(ViewerRuns.twoHeads(), 0)) {
            ChromeDriver d = open(server);
            assertEquals(3, d.findElements(By.cssSelector(LEFT)).size(), "one overlay per probe image");
            assertEquals(3, d.findElements(By.cssSelector("canvas.overlay[data-head='right']")).size());
            assertEquals(3, d.findElements(By.cssSelector("canvas.overlay[data-head='combined']")).size());
            assertEquals(List.of("10"), steps(d), "the newest snapshot first");
            assertEquals("2", d.findElement(By.id("step")).getAttribute("max"), "steps 1, 5 and 10");
            assertEquals(2, d.findElements(By.cssSelector("#curves .uplot")).size(), "accuracy and cam_outside_share");
            assertEquals("penalty: none logged (no guidance term in this run)", d.findElement(By.id("chart-penalty")).getText());
            assertTrue(d.findElement(By.id("metrics")).getText().contains("test/cam_outside_share/left"));
            Path shot = Path.of(System.getProperty("viewer.screenshot", "target/viewer-two-heads.png"));
            Files.write(shot, d.getScreenshotAs(OutputType.BYTES));
            assertEquals(List.of(), chrome.severeConsoleMessages());
        }
    }

    @Test
    void switchingAHeadOffRemovesItsOverlay() throws Exception {
        try (ViewServer server = ViewServer.start(ViewerRuns.twoHeads(), 0)) {
            ChromeDriver d = open(server);
            WebElement toggle = d.findElement(By.cssSelector("input[type=checkbox][data-head='left']"));
            toggle.click();
            wait(d).until(x -> x.findElements(By.cssSelector(LEFT)).isEmpty());
            assertEquals(3, d.findElements(By.cssSelector("canvas.overlay[data-head='right']")).size(), "the other head stays");
            toggle.click();
            wait(d).until(x -> x.findElements(By.cssSelector(LEFT)).size() == 3);
            assertEquals(List.of(), chrome.severeConsoleMessages());
        }
    }

    @Test
    void movingTheSliderChangesTheDisplayedStepsImages() throws Exception {
        try (ViewServer server = ViewServer.start(ViewerRuns.twoHeads(), 0)) {
            ChromeDriver d = open(server);
            String before = pixels(d, LEFT);
            d.findElement(By.id("step")).sendKeys(Keys.HOME);
            wait(d).until(x -> steps(x).equals(List.of("1")));
            assertNotEquals(before, pixels(d, LEFT), "the maps of step 1, not of step 10");
            assertTrue(d.findElement(By.id("step-label")).getText().startsWith("step 1 "), d.findElement(By.id("step-label")).getText());
            d.findElement(By.id("step")).sendKeys(Keys.ARROW_RIGHT);
            wait(d).until(x -> steps(x).equals(List.of("5")));
            assertEquals(List.of(), chrome.severeConsoleMessages());
        }
    }

    @Test
    void opacityColormapAndMapAloneRedrawOneHead() throws Exception {
        try (ViewServer server = ViewServer.start(ViewerRuns.twoHeads(), 0)) {
            ChromeDriver d = open(server);
            String right = pixels(d, "canvas.overlay[data-head='right']");
            String jet = pixels(d, LEFT);
            new Select(d.findElement(By.cssSelector("select.colormap[data-head='left']"))).selectByValue("viridis");
            String viridis = waitForChange(d, LEFT, jet);
            new Select(d.findElement(By.cssSelector("select.mode[data-head='left']"))).selectByValue("map");
            String alone = waitForChange(d, LEFT, viridis);
            new Select(d.findElement(By.cssSelector("select.mode[data-head='left']"))).selectByValue("overlay");
            assertEquals(viridis, waitForChange(d, LEFT, alone), "back to the overlay");
            WebElement opacity = d.findElement(By.cssSelector("input.opacity[data-head='left']"));
            assertEquals("0.4", opacity.getAttribute("value"), "the default opacity");
            opacity.sendKeys(Keys.END);
            waitForChange(d, LEFT, viridis);
            assertEquals(right, pixels(d, "canvas.overlay[data-head='right']"), "the other head is left as it was");
            new Select(d.findElement(By.id("combine"))).selectByValue("max");
            wait(d).until(x -> x.findElements(By.cssSelector("canvas.overlay[data-combine='max']")).size() == 3);
            assertEquals(List.of(), chrome.severeConsoleMessages());
        }
    }

    @Test
    void aComparisonShowsAllVariantsAtOneStep() throws Exception {
        try (ViewServer server = ViewServer.start(ViewerRuns.comparison(), 0)) {
            ChromeDriver d = open(server);
            wait(d).until(x -> x.findElements(By.cssSelector(".panel[data-run]")).size() == 2);
            d.findElement(By.id("step")).sendKeys(Keys.HOME);
            wait(d).until(x -> steps(x).size() == 1 && steps(x).get(0).equals(x.findElement(By.id("step")).getAttribute("data-step")));
            String step = steps(d).get(0);
            assertEquals(3, d.findElements(By.cssSelector("#curves .uplot")).size(), "accuracy, penalty and cam_outside_share");
            for (String variant : List.of("baseline", "hirescam-features")) {
                List<WebElement> overlays = d.findElements(By.cssSelector("canvas.overlay[data-run='" + variant + "']"));
                assertEquals(3, overlays.size(), variant + ": one head, three probe images");
                overlays.forEach(o -> assertEquals(step, o.getAttribute("data-step"), variant));
            }
            assertNotEquals(pixels(d, "canvas.overlay[data-run='baseline']"), pixels(d, "canvas.overlay[data-run='hirescam-features']"),
                    "two models, two maps of the same image");
            Files.write(Path.of("target/viewer-comparison.png"), d.getScreenshotAs(OutputType.BYTES));
            assertEquals(List.of(), chrome.severeConsoleMessages());
        }
    }

    @Test
    void aRunStillTrainingGainsANewStepWithinFiveSeconds(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("live");
        CompletableFuture<Void> training = ViewerRuns.live(run, 4, 700);
        try (ViewServer server = ViewServer.start(run, 0)) {
            ChromeDriver d = visit(server);
            WebDriverWait patient = new WebDriverWait(d, Duration.ofSeconds(120));
            // the page has caught up with the folder, and the run goes on
            patient.until(x -> pageSteps(x) >= 1 && pageSteps(x) == snapshotsOnDisk(run));
            int shown = pageSteps(d);
            long written = 0;
            while (snapshotsOnDisk(run) == shown && !training.isDone()) {
                Thread.sleep(20);
                written = System.nanoTime();
            }
            assertTrue(snapshotsOnDisk(run) > shown, "the run took another snapshot while the page watched");
            new WebDriverWait(d, Duration.ofSeconds(5)).until(x -> pageSteps(x) > shown);
            double seconds = (System.nanoTime() - written) / 1e9;
            System.out.printf("view: a new snapshot appeared on the page %.2f s after it was written%n", seconds);
            assertTrue(seconds < 5, seconds + " s");
            wait(d).until(x -> x.findElements(By.cssSelector(".badge.running")).size() == 1);
            assertEquals(List.of(), chrome.severeConsoleMessages());
        } finally {
            training.get(5, TimeUnit.MINUTES); // one training at a time in this JVM
        }
        assertTrue(Files.isRegularFile(run.resolve(RunFilesListener.SUMMARY)));
    }

    @Test
    void aRunWithoutRawMapsShowsItsPngs(@TempDir Path dir) throws Exception {
        Path old = RunCopies.copy(ViewerRuns.twoHeads(), dir.resolve("old"), rel -> !rel.endsWith(".maps.json")
                && !rel.startsWith("checkpoints") && !rel.startsWith("model"));
        try (ViewServer server = ViewServer.start(old, 0)) {
            ChromeDriver d = visit(server);
            wait(d).until(x -> !x.findElements(By.cssSelector("img.overlay.png[data-head='all'][data-step='10']")).isEmpty());
            Boolean loaded = (Boolean) d.executeScript("const i = document.querySelector('img.overlay.png');"
                    + " return i.complete && i.naturalWidth > 0;");
            assertTrue(loaded, "the grid PNG is displayed");
            assertEquals(List.of(), chrome.severeConsoleMessages());
        }
    }

    private static ChromeDriver open(ViewServer server) {
        ChromeDriver d = visit(server);
        wait(d).until(x -> !x.findElements(By.cssSelector("canvas.overlay")).isEmpty());
        return d;
    }

    /** Opens the page afresh: the messages of an earlier test's page (whose server is gone) are dropped. */
    private static ChromeDriver visit(ViewServer server) {
        ChromeDriver d = chrome.driver();
        d.get("about:blank");
        chrome.severeConsoleMessages();
        d.get(server.address());
        return d;
    }

    private static WebDriverWait wait(ChromeDriver d) {
        return new WebDriverWait(d, Duration.ofSeconds(20));
    }

    /** The distinct steps of the overlays on the page. */
    @SuppressWarnings("unchecked")
    private static List<String> steps(org.openqa.selenium.WebDriver d) {
        // read in one script: the page may redraw between two element look-ups
        return ((List<String>) ((ChromeDriver) d).executeScript(
                "return [...document.querySelectorAll('.overlay')].map(e => e.getAttribute('data-step'));"))
                .stream().distinct().toList();
    }

    private static int pageSteps(org.openqa.selenium.WebDriver d) {
        String n = d.findElement(By.id("step")).getAttribute("data-steps");
        return n == null || n.isEmpty() ? 0 : Integer.parseInt(n);
    }

    private static long snapshotsOnDisk(Path run) {
        try (Stream<Path> files = Files.list(run.resolve(RunFilesListener.SNAPSHOTS))) {
            return files.filter(p -> p.getFileName().toString().matches("cams-step\\d+\\.png")).count();
        } catch (java.io.IOException notYet) {
            return 0;
        }
    }

    /** The first matching canvas's pixels, as a data URL. */
    private static String pixels(ChromeDriver d, String css) {
        return (String) d.executeScript("return document.querySelector(arguments[0]).toDataURL();", css);
    }

    private static String waitForChange(ChromeDriver d, String css, String before) {
        wait(d).until(x -> !pixels(d, css).equals(before));
        return pixels(d, css);
    }
}
