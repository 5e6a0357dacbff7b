package io.spotlight.trainer.browser;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * A real, headless Chromium for tests, driven by Selenium through Debian's {@code chromium-driver}.
 * Selenium Manager is never used (it would download a browser): the binary and the driver are the
 * Debian packages' ({@code .ci/run} and {@code ./spotlight test} install them). Where they are
 * missing and cannot be installed the test is skipped with a message saying what to install.
 *
 * <p>One browser per test class is the intended use: starting Chromium takes about a second.
 */
public final class HeadlessChrome implements AutoCloseable {

    private static final List<Path> BROWSERS = List.of(Path.of("/usr/bin/chromium"), Path.of("/usr/bin/chromium-browser"));
    private static final List<Path> DRIVERS = List.of(Path.of("/usr/bin/chromedriver"), Path.of("/usr/lib/chromium/chromedriver"));

    private final ChromeDriver driver;

    private HeadlessChrome(ChromeDriver driver) {
        this.driver = driver;
    }

    /** Starts Chromium, or skips the calling test when the Debian packages are not installed. */
    public static HeadlessChrome startOrSkip() {
        Path browser = firstExisting(BROWSERS);
        Path chromedriver = firstExisting(DRIVERS);
        Assumptions.assumeTrue(browser != null && chromedriver != null,
                "real-browser test skipped: install Debian's chromium and chromium-driver "
                        + "(sudo apt-get install chromium chromium-driver)");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(browser.toString());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1400,1000", "--no-first-run", "--disable-extensions");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return new HeadlessChrome(driver);
    }

    public ChromeDriver driver() {
        return driver;
    }

    /** Console messages at SEVERE level since the last call (Chromium reports JS errors there). */
    public List<String> severeConsoleMessages() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(e -> e.getMessage())
                .toList();
    }

    private static Path firstExisting(List<Path> candidates) {
        return candidates.stream().filter(Files::isExecutable).findFirst().orElse(null);
    }

    @Override
    public void close() {
        driver.quit();
    }
}
