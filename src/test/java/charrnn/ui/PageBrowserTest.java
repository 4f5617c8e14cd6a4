package charrnn.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charrnn.api.Training;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The live page in a real browser: headless Chromium (Debian's chromium and chromium-driver, through
 * Selenium) opens the page of a training run in progress, and the rendered page shows a chart whose points
 * grow as training goes on, a sample, the model, and generated text. Run by {@code mvn test -Pbrowser}
 * (.ci/run installs Chromium); {@code -Dcharrnn.screenshot=docs/ui.png} also saves what the browser shows.
 */
class PageBrowserTest {
    @TempDir
    Path dir;

    private static String path(String property, String otherwise) {
        return System.getProperty(property, otherwise);
    }

    @Test
    void thePageOfALiveRunDrawsGrowingPointsAndSamples() throws Exception {
        Path repo = Path.of(System.getProperty("basedir", "."));
        String text = Files.readString(repo.resolve("corpus/input.txt"), StandardCharsets.UTF_8);
        Path corpus = dir.resolve("text.txt");
        Files.writeString(corpus, text.substring(0, 300_000), StandardCharsets.UTF_8);
        Path run = dir.resolve("run");
        Training training = Training.builder().corpus(corpus).cell("lstm").hiddenSize(64).batchSize(8)
                .maxIterations(5000).valFraction(0.1).evalEvery(100).logEvery(10).sampleEvery(100)
                .checkpointEvery(100).checkpointDir(run).build();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread trainer = new Thread(() -> {
            try {
                training.run();
            } catch (IOException | RuntimeException e) {
                failed.set(e);
            }
        }, "browser-test-training");
        trainer.start();
        ChromeDriver browser = null;
        try (UiServer ui = UiServer.start(run, "127.0.0.1", 0)) {
            ui.plan(5000);
            ChromeOptions options = new ChromeOptions();
            options.setBinary(path("charrnn.chromium", "/usr/bin/chromium"));
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--window-size=1200,1000",
                    "--user-data-dir=" + Files.createDirectories(dir.resolve("chromium")));
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(Path.of(path("charrnn.chromedriver", "/usr/bin/chromedriver")).toFile())
                    .usingAnyFreePort().build();
            browser = new ChromeDriver(service, options);
            browser.manage().window().setSize(new Dimension(1200, 1000));
            browser.get(ui.address());
            JavascriptExecutor js = browser;
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
            wait.until(b -> ((Number) js.executeScript("return window.charrnn.points")).intValue() >= 3);
            int before = ((Number) js.executeScript("return window.charrnn.points")).intValue();
            // drawn, not only received: uPlot's canvas holds the points, the legend names both curves
            assertTrue(browser.findElement(By.cssSelector("#chart canvas")).getSize().getWidth() > 300);
            assertTrue(browser.findElement(By.id("chart")).getText().contains("held out"));
            wait.until(b -> ((Number) js.executeScript("return window.charrnn.points")).intValue() > before + 5);
            wait.until(b -> !b.findElements(By.cssSelector("#sampleList .sample pre")).isEmpty());
            assertTrue(browser.findElement(By.cssSelector("#sampleList .sample")).getText().startsWith("iteration "));
            assertEquals("live", browser.findElement(By.id("status")).getText());
            wait.until(b -> b.findElement(By.id("model")).getText().contains("lstm"));
            assertTrue(browser.findElement(By.id("val")).getText().endsWith("nats/char")
                    || browser.findElement(By.id("val")).getText().equals("–"));
            // generate from the newest checkpoint: the characters appear in the output box
            browser.findElement(By.id("length")).clear();
            browser.findElement(By.id("length")).sendKeys("120");
            browser.findElement(By.id("go")).click();
            wait.until(b -> b.findElement(By.id("genStatus")).getText().equals("done"));
            assertTrue(browser.findElement(By.id("output")).getText().length() > 100);
            wait.until(b -> ((Number) js.executeScript("return window.charrnn.points")).intValue() > before + 20);
            String shot = System.getProperty("charrnn.screenshot");
            if (shot != null && !shot.isEmpty()) {   // (for README: a run a little further on, seen from the top)
                wait.until(b -> ((Number) js.executeScript("return window.charrnn.points")).intValue() > 120);
                js.executeScript("window.scrollTo(0, 0)");
                Files.write(repo.resolve(shot), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
            }
        } finally {
            if (browser != null) {
                browser.quit();
            }
            training.stop();
            trainer.join(60_000);
        }
        if (failed.get() != null) {
            throw new AssertionError("training failed", failed.get());
        }
    }
}
