package io.spotlight.trainer.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotlight.trainer.browser.HeadlessChrome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The viewer in a real, headless Chromium, on real runs. */
class ViewerBrowserTest {
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
            List<WebElement> overlays = d.findElements(By.cssSelector("canvas.overlay"));
            // 3 probe images x (left, right, combined)
            assertEquals(9, overlays.size(), "overlays");
            Path shot = Path.of(System.getProperty("viewer.screenshot", "target/viewer-screenshot.png"));
            Files.write(shot, d.getScreenshotAs(OutputType.BYTES));
            assertEquals(List.of(), chrome.severeConsoleMessages());
        }
    }

    private static ChromeDriver open(ViewServer server) {
        ChromeDriver d = chrome.driver();
        d.get(server.address());
        new WebDriverWait(d, Duration.ofSeconds(20)).until(x -> !x.findElements(By.cssSelector("canvas.overlay")).isEmpty());
        return d;
    }
}
