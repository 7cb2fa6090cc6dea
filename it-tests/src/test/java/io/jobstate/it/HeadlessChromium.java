package io.jobstate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless Debian Chromium driven through chromedriver (no driver download: Selenium Manager is
 * never asked, both binaries are the distribution's). Without them a test class is skipped with a
 * loud message, except on CI ({@code CI=true}), where a missing browser fails the build. {@link
 * #close()} quits the browser and removes its profile. Not thread-safe: one test thread drives it.
 */
final class HeadlessChromium implements AutoCloseable {

    private static final Path CHROMIUM = Paths.get(System.getProperty("board.chromium", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Paths.get(System.getProperty("board.chromedriver", "/usr/bin/chromedriver"));
    private static final Path SCREENSHOTS = Paths.get("target", "board-screenshots");

    private final ChromeDriver driver;
    private final Path profile;

    private HeadlessChromium(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /** Starts the browser, or skips (fails on CI) when Chromium or chromedriver is not installed. */
    static HeadlessChromium start() throws IOException {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            String message = "BROWSER TESTS NOT RUN: " + CHROMIUM + " or " + CHROMEDRIVER + " is missing."
                    + " Install Debian's chromium and chromium-driver (.ci/run does).";
            System.err.println("\n!!!!! " + message + "\n");
            assertThat(System.getenv("CI")).as(message).isNotEqualTo("true");
            Assumptions.abort(message);
        }
        Path profile = Files.createTempDirectory("board-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // root in a container needs --no-sandbox; the rest keeps a test browser quiet and offline
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,1000", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        try {
            return new HeadlessChromium(new ChromeDriver(service, options), profile);
        } catch (RuntimeException e) {
            delete(profile);
            throw e;
        }
    }

    WebDriver driver() {
        return driver;
    }

    /**
     * Waits up to {@code within} for {@code condition} to be neither null nor false; fails with {@code what} after.
     * An element the page replaced while the condition read it (the counts are redrawn every 2 s) is asked again.
     */
    <T> T await(String what, Duration within, Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, within, Duration.ofMillis(50)).withMessage(what)
                .ignoring(StaleElementReferenceException.class).until(condition);
    }

    Object script(String script, Object... arguments) {
        return driver.executeScript(script, arguments);
    }

    Object asyncScript(String script, Object... arguments) {
        return driver.executeAsyncScript(script, arguments);
    }

    /**
     * Saves what the page shows now, in a window {@code height} pixels high and without the focus
     * ring of whatever has the focus, as target/board-screenshots/{name}.png.
     */
    Path screenshot(String name, int height) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        Path file = SCREENSHOTS.resolve(name + ".png");
        Dimension size = driver.manage().window().getSize();
        driver.manage().window().setSize(new Dimension(size.getWidth(), height));
        try {
            driver.executeScript("document.activeElement?.blur(); window.scrollTo(0, 0);");
            Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), file, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            driver.manage().window().setSize(size);
        }
        return file;
    }

    /** Runs axe-core on the page as it is now and fails on any serious or critical violation. */
    void assertAccessible(String where) {
        Results results = new AxeBuilder().analyze(driver);
        List<String> bad = results.getViolations().stream()
                .filter(rule -> "serious".equals(rule.getImpact()) || "critical".equals(rule.getImpact()))
                .map(HeadlessChromium::describe).toList();
        assertThat(results.getPasses()).as("axe-core ran its rules on " + where).isNotEmpty();
        assertThat(bad).as("serious or critical accessibility violations on " + where).isEmpty();
    }

    private static String describe(Rule rule) {
        return rule.getImpact() + " " + rule.getId() + ": " + rule.getHelp() + " at "
                + rule.getNodes().stream().map(node -> String.valueOf(node.getTarget())).toList();
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            delete(profile);
        }
    }

    private static void delete(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
