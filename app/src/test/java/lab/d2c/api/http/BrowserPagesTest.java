package lab.d2c.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import lab.d2c.app.local.LocalRuntime;
import lab.d2c.app.local.LocalStackFixture;
import lab.d2c.workflows.spec.BundledSweeps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The pages in a real browser (Debian's chromium, headless, through Debian's chromedriver):
 * the sweeps list, the page of a finished smoke sweep with its ablation table (sorted by a
 * click), a loss curve drawn from real points, the node graphs and the sample galleries;
 * then a click into an experiment, whose lineage shows the dataset hash; the experiment is tagged on its page
 * and found by that tag on the find page; the sweep page's parallel coordinates; two experiments ticked on the sweep
 * page and compared side by side. Screenshots go to
 * {@code app/target/browser/}. No JavaScript error and no CSP violation may reach the console.
 *
 * <p>Without chromium this is skipped, except where {@code D2C_REQUIRE_BROWSER=1} ({@code ./d2c
 * test} installs chromium and sets it), where it fails.
 */
@Timeout(value = 6, unit = java.util.concurrent.TimeUnit.MINUTES)
class BrowserPagesTest {

    @Test
    void finishedSweepPageShowsTableCurveGraphsAndSamplesAndLeadsToTheExperiment() throws Exception {
        HeadlessChromium.requireOrSkip();

        Path shots = Path.of("target", "browser");
        Files.createDirectories(shots);
        try (LocalRuntime rt = LocalRuntime.start(LocalStackFixture.freshConfig("browser"), true, 2, LocalStackFixture.quiet())) {
            String base = rt.api().baseUrl();
            String sweepId = Http.post(base + "/api/v1/sweeps", BundledSweeps.read("smoke"), "application/yaml",
                    rt.apiToken().value()).json().get("id").asText();
            JsonNode done = Http.awaitSweep(base, sweepId, Duration.ofMinutes(3));
            assertThat(done.get("status").asText()).isEqualTo("SUCCEEDED");

            WebDriver driver = HeadlessChromium.start(Files.createTempDirectory("d2c-chromium"));
            try {
                WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));

                driver.get(base + "/");
                WebElement row = wait.until(d -> d.findElement(By.cssSelector("#sweeps tr[data-id='" + sweepId + "']")));
                assertThat(row.getText()).contains("smoke", "SUCCEEDED", "100%");
                row.findElement(By.linkText("smoke")).click();

                // the ablation table: one row (the two seeds pooled), mean ± std of each metric
                wait.until(d -> d.findElements(By.cssSelector("#ablation-table tbody tr")).size() == 1);
                List<String> headers = driver.findElements(By.cssSelector("#ablation-table th")).stream()
                        .map(WebElement::getText).toList();
                assertThat(headers).contains("fid-shapes-cls", "is-shapes-cls", "precision-shapes-cls", "recall-shapes-cls");
                int fidColumn = headers.indexOf("fid-shapes-cls");
                WebElement fidCell = driver.findElements(By.cssSelector("#ablation-table tbody td")).get(fidColumn);
                // mean ± std, under it the 95% interval over the two seeds
                assertThat(fidCell.getText()).matches("[0-9.]+ ± [0-9.]+\\R\\[-?[0-9.]+, -?[0-9.]+\\]");
                WebElement fidHeader = driver.findElements(By.cssSelector("#ablation-table th")).get(fidColumn);
                fidHeader.click();
                assertThat(fidHeader.getAttribute("aria-sort")).isEqualTo("ascending");
                fidHeader.click();
                assertThat(fidHeader.getAttribute("aria-sort")).isEqualTo("descending");

                // a plot: stage one's loss curve drawn from its logged points
                WebElement curve = wait.until(d -> d.findElement(By.cssSelector(".loss-curve[data-kind='train-stage1'] canvas[data-points]")));
                assertThat(Integer.parseInt(curve.getAttribute("data-points"))).isGreaterThanOrEqualTo(4);
                assertThat(curve.getSize().getHeight()).isGreaterThan(100);
                // each arm's graph with every node succeeded, and the samples loaded. The grids load lazily
                // (loading=lazy: a paper sweep's page holds dozens), so a grid below the fold stays unloaded
                // until a reader scrolls to it: the check scrolls to each unloaded one, as a reader would.
                List<WebElement> graphNodes = driver.findElements(By.cssSelector(".arm svg.graph a.node"));
                assertThat(graphNodes).hasSizeGreaterThanOrEqualTo(2 * 10);
                assertThat(graphNodes).allSatisfy(n -> assertThat(n.getAttribute("data-status")).isEqualTo("SUCCEEDED"));
                try {
                    wait.until(d -> (Boolean) ((JavascriptExecutor) d).executeScript("const imgs = document.querySelectorAll("
                            + "'#samples img'); Array.from(imgs).filter(i => !i.complete).forEach(i => i.scrollIntoView());"
                            + " return imgs.length >= 4 && Array.from(imgs).every(i => i.complete && i.naturalWidth > 0);"));
                } catch (org.openqa.selenium.TimeoutException e) {
                    Object imgs = ((JavascriptExecutor) driver).executeScript("return Array.from(document.querySelectorAll("
                            + "'#samples img')).map(i => i.src + ' complete=' + i.complete + ' w=' + i.naturalWidth).join('\\n');");
                    StringBuilder statuses = new StringBuilder();
                    for (String line : String.valueOf(imgs).split("\n")) {
                        String url = line.split(" ")[0];
                        if (!url.isBlank()) {
                            statuses.append(url).append(" -> ").append(Http.get(url).status()).append('\n');
                        }
                    }
                    throw new AssertionError("samples did not load:\n" + imgs + "\n" + statuses, e);
                }
                // the API's PNG plots: FID per arm, training loss, the arm's sample grid, each loaded at its size
                wait.until(d -> (Boolean) ((JavascriptExecutor) d).executeScript("const ids = ['plot-fid-shapes-cls', "
                        + "'plot-loss', 'plot-samples-1']; return ids.every(id => { const i = document.getElementById(id); "
                        + "if (i && !i.complete) i.scrollIntoView(); return i && i.complete && i.naturalWidth > 0; });"));
                assertThat(((JavascriptExecutor) driver).executeScript(
                        "return document.getElementById('plot-fid-shapes-cls').naturalWidth")).isEqualTo(960L);
                parallelCoordinates(driver, wait, base, sweepId);
                screenshot(driver, shots.resolve("sweep.png"));

                // into an experiment: lineage with the dataset's manifest hash, config, actions hidden when finished
                driver.findElement(By.cssSelector(".arm h3 a")).click();
                wait.until(d -> d.findElements(By.cssSelector("#lineage tbody tr")).size() >= 10);
                WebElement dataset = driver.findElement(By.xpath("//table[@id='lineage']//tr[.//strong[text()='prepare-dataset']]"));
                assertThat(dataset.getText()).contains("manifest_sha256", "SUCCEEDED");
                assertThat(driver.findElement(By.id("config")).getAttribute("textContent")).contains("\"stage2\"");
                assertThat(driver.findElements(By.cssSelector("#actions button"))).isEmpty();
                wait.until(d -> !d.findElements(By.cssSelector(".loss-curve canvas[data-points]")).isEmpty());
                screenshot(driver, shots.resolve("experiment.png"));

                // tag the experiment on its page (the token in the header's box), then find it by that tag
                String experimentId = driver.getCurrentUrl().replaceAll(".*[?&]id=([^&#]+).*", "$1");
                driver.findElement(By.cssSelector("header input[type='password']")).sendKeys(rt.apiToken().value());
                driver.findElement(By.tagName("h1")).click();
                driver.findElement(By.id("annotations-edit")).click();
                driver.findElement(By.id("tags-input")).sendKeys("best seed-0");
                driver.findElement(By.id("note-input")).sendKeys("the one to show");
                driver.findElement(By.id("annotations-save")).click();
                wait.until(d -> d.findElements(By.cssSelector("#annotations-shown .tag")).size() == 2);
                assertThat(driver.findElement(By.id("note-text")).getText()).isEqualTo("the one to show");
                JsonNode stored = Http.get(base + "/api/v1/experiments/" + experimentId).json();
                assertThat(stored.get("tags").toString()).isEqualTo("[\"best\",\"seed-0\"]");

                driver.get(base + "/ui/experiments.html");
                driver.findElement(By.id("find-tag")).sendKeys("best");
                driver.findElement(By.id("find-sort")).sendKeys("fid-shapes-cls");
                driver.findElement(By.cssSelector("#find button[type='submit']")).click();
                wait.until(d -> d.getCurrentUrl().contains("tag=best"));
                // the sweep's other seed is not tagged: one row, with its final FID
                WebElement found = wait.until(d -> d.findElement(By.cssSelector("#experiments tbody tr[data-id='"
                        + experimentId + "']")));
                assertThat(driver.findElements(By.cssSelector("#experiments tbody tr"))).hasSize(1);
                assertThat(found.findElement(By.cssSelector("td[data-metric='fid-shapes-cls']")).getText())
                        .matches("[0-9]+\\.[0-9]+");
                assertThat(found.getText()).contains("best", "seed-0", "the one to show");
                screenshot(driver, shots.resolve("find.png"));

                compareFromTheSweepPage(driver, wait, base, sweepId);
                screenshot(driver, shots.resolve("compare.png"));

                // the API's reference: Swagger UI from its WebJar renders this server's document, every route an
                // operation block, under the pages' CSP (a blocked script or style would be a console error below)
                driver.get(base + "/api/docs");
                wait.until(d -> d.findElements(By.cssSelector(".opblock-summary-path")).size() >= 10);
                List<String> paths = driver.findElements(By.cssSelector(".opblock-summary-path")).stream()
                        .map(e -> e.getAttribute("data-path")).toList();
                assertThat(paths).contains("/api/v1/sweeps", "/api/v1/experiments", "/api/v1/sweeps/{id}/report");
                assertThat(driver.findElement(By.cssSelector(".info .title")).getText()).contains("D2C");
                screenshot(driver, shots.resolve("api-docs.png"));

                List<LogEntry> severe = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
                assertThat(severe).as("browser console errors").isEmpty();
            } finally {
                driver.quit();
            }
        }
    }

    /**
     * The sweep page's parallel coordinates: an axis per varied parameter (smoke varies none), the seed (two) and
     * the chosen metric, one line per experiment carrying the find route's final value; another metric redraws it.
     */
    private static void parallelCoordinates(WebDriver driver, WebDriverWait wait, String base, String sweepId)
            throws Exception {
        JavascriptExecutor js = (JavascriptExecutor) driver;
        wait.until(d -> "2".equals(d.findElement(By.id("parallel")).getAttribute("data-lines")));
        String option = "const o = echarts.getInstanceByDom(document.getElementById('parallel')).getOption(); ";
        assertThat(js.executeScript(option + "return o.parallelAxis.map(a => a.name);"))
                .isEqualTo(List.of("seed", "fid-shapes-cls"));
        assertThat(new Select(driver.findElement(By.id("parallel-metric"))).getFirstSelectedOption().getText())
                .isEqualTo("fid-shapes-cls");
        assertThat(driver.findElement(By.cssSelector("#parallel canvas")).getSize().getHeight()).isGreaterThan(200);
        // each line ends at its experiment's final FID, as the find route reads it
        List<Double> drawn = ((List<?>) js.executeScript(option + "return o.series[0].data.map(p => p.value[p.value.length - 1]);"))
                .stream().map(v -> ((Number) v).doubleValue()).sorted().toList();
        JsonNode items = Http.get(base + "/api/v1/experiments?sweep=" + sweepId + "&sort=fid-shapes-cls").json().get("items");
        List<Double> expected = new java.util.ArrayList<>();
        items.forEach(i -> expected.add(i.get("metrics").get("fid-shapes-cls").asDouble()));
        assertThat(drawn).containsExactlyElementsOf(expected.stream().sorted().toList());

        new Select(driver.findElement(By.id("parallel-metric"))).selectByVisibleText("is-shapes-cls");
        wait.until(d -> ((List<?>) ((JavascriptExecutor) d).executeScript(option + "return o.parallelAxis.map(a => a.name);"))
                .equals(List.of("seed", "is-shapes-cls")));
        assertThat(driver.findElement(By.id("parallel-direction")).getText()).isEqualTo("higher is-shapes-cls is better");
    }

    /**
     * Ticks the sweep's two experiments and opens the compare page: the config diff holds only the run seed, the
     * metric table one row each with the best FID (lowest) and IS (highest) marked, the loss curves and the samples.
     */
    private static void compareFromTheSweepPage(WebDriver driver, WebDriverWait wait, String base, String sweepId)
            throws Exception {
        driver.get(base + "/ui/sweep.html?id=" + sweepId);
        List<WebElement> picks = wait.until(d -> {
            List<WebElement> p = d.findElements(By.cssSelector(".arm input.pick"));
            return p.size() == 2 ? p : null;
        });
        WebElement compare = driver.findElement(By.id("compare-selected"));
        assertThat(compare.isEnabled()).isFalse();
        picks.forEach(WebElement::click);
        assertThat(compare.getText()).isEqualTo("Compare selected (2)");
        compare.click();
        wait.until(d -> d.getCurrentUrl().contains("/ui/compare.html?ids="));

        wait.until(d -> d.findElements(By.cssSelector("#compare-metrics tbody tr")).size() == 2);
        List<String> differing = driver.findElements(By.cssSelector("#config-diff-table tbody tr")).stream()
                .map(r -> r.getAttribute("data-key")).toList();
        assertThat(differing).containsExactly("seed");
        assertThat(driver.findElements(By.cssSelector("#config-diff-table tbody tr td")).stream().map(WebElement::getText)
                .sorted().toList()).containsExactly("0", "1");
        assertBestMarked(driver, "fid-shapes-cls", true);
        assertBestMarked(driver, "is-shapes-cls", false);
        assertThat(driver.findElement(By.cssSelector("#compare-metrics th[data-metric='fid-shapes-cls']")).getText())
                .contains("lower is better");

        WebElement curve = wait.until(d -> d.findElement(By.cssSelector("#curves .loss-curve[data-kind='train-stage1'] canvas[data-points]")));
        assertThat(Integer.parseInt(curve.getAttribute("data-points"))).isGreaterThanOrEqualTo(4);
        wait.until(d -> (Boolean) ((JavascriptExecutor) d).executeScript("const imgs = document.querySelectorAll("
                + "'#samples img'); return imgs.length >= 2 && Array.from(imgs).every(i => i.complete && i.naturalWidth > 0);"));
        assertThat(driver.findElements(By.cssSelector("#samples figure")).stream().map(f -> f.getAttribute("data-id"))
                .distinct()).hasSize(2);
    }

    /** The cells marked best in a metric's column are exactly those holding its lowest (or highest) value. */
    private static void assertBestMarked(WebDriver driver, String metric, boolean lowerIsBetter) {
        List<WebElement> cells = driver.findElements(By.cssSelector("#compare-metrics tbody td[data-metric='" + metric + "']"));
        assertThat(cells).hasSize(2);
        List<Double> values = cells.stream().map(c -> Double.parseDouble(c.getAttribute("data-value"))).toList();
        double best = lowerIsBetter ? java.util.Collections.min(values) : java.util.Collections.max(values);
        for (int i = 0; i < cells.size(); i++) {
            assertThat(cells.get(i).getAttribute("class").contains("best")).as(metric + " " + values)
                    .isEqualTo(values.get(i) == best);
        }
    }

    /** One long stage one after tiny tokenizers: something to watch and to cancel. */
    private static final String LONG_SWEEP = """
            name: live
            preset: tiny
            method: grid
            config:
              targets: train-stage1
              data: {dataset: shapes, image_size: 32, num_classes: 4, train_size: 128, test_size: 32, shard_size: 128}
              vq:
                base_width: 8
                train: {steps: 4, batch_size: 8, checkpoint_every: 4, log_every: 2, eval_images: 32}
              vae:
                base_width: 8
                scale_images: 32
                train: {steps: 4, batch_size: 8, checkpoint_every: 4, log_every: 2, eval_images: 32}
              pretokenize: {batch_size: 64, shard_size: 128}
              stage1:
                width: 16
                depth: 1
                heads: 2
                ffn_multiple_of: 8
                train: {steps: 100000, batch_size: 4, checkpoint_every: 50, log_every: 10, warmup_steps: 2}
            seeds: [0]
            """;

    @Test
    void aRunningSweepUpdatesLiveAndIsCancelledFromThePage() throws Exception {
        HeadlessChromium.requireOrSkip();

        try (LocalRuntime rt = LocalRuntime.start(LocalStackFixture.freshConfig("browser-live"), true, 1, LocalStackFixture.quiet())) {
            String base = rt.api().baseUrl();
            String sweepId = Http.post(base + "/api/v1/sweeps", LONG_SWEEP, "application/yaml", rt.apiToken().value())
                    .json().get("id").asText();
            WebDriver driver = HeadlessChromium.start(Files.createTempDirectory("d2c-chromium"));
            try {
                // the page redraws its graphs every 2 s: an element found may be replaced before it is read
                org.openqa.selenium.support.ui.FluentWait<WebDriver> wait = new WebDriverWait(driver, Duration.ofSeconds(90))
                        .ignoring(org.openqa.selenium.StaleElementReferenceException.class);
                driver.get(base + "/ui/sweep.html?id=" + sweepId);
                By stage1 = By.cssSelector(".arm svg.graph a.node[data-kind='train-stage1'][data-status='RUNNING'] title");
                String first = wait.until(d -> {
                    var t = d.findElements(stage1);
                    String text = t.isEmpty() ? "" : t.get(0).getAttribute("textContent");
                    return text.contains("step ") ? text : null;
                });
                // the page polls: without a reload, the step count in the node's progress moves on
                String later = wait.until(d -> {
                    var t = d.findElements(stage1);
                    String text = t.isEmpty() ? "" : t.get(0).getAttribute("textContent");
                    return text.contains("step ") && !text.equals(first) ? text : null;
                });
                assertThat(step(later)).isGreaterThan(step(first));

                // cancel from the page: the token goes in the header's box, then the button
                WebElement tokenBox = driver.findElement(By.cssSelector("header input[type='password']"));
                tokenBox.sendKeys(rt.apiToken().value());
                driver.findElement(By.tagName("h1")).click();
                wait.until(d -> {
                    d.findElement(By.xpath("//button[text()='Cancel sweep']")).click();
                    return true;
                });
                wait.until(d -> d.findElement(By.id("action-result")).getText().contains("accepted"));
                wait.until(d -> d.findElement(By.cssSelector("#meta .badge")).getText().equals("CANCELLED"));
                wait.until(d -> !d.findElements(By.cssSelector(".arm svg.graph a.node[data-kind='train-stage1'][data-status='CANCELLED']")).isEmpty());
                wait.until(d -> d.findElement(By.xpath("//button[text()='Rerun failed arms']")).isDisplayed());
                Files.createDirectories(Path.of("target", "browser"));
                screenshot(driver, Path.of("target", "browser").resolve("cancelled.png"));
            } finally {
                driver.quit();
            }
        }
    }

    private static long step(String progress) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("step (\\d+)/").matcher(progress);
        assertThat(m.find()).as(progress).isTrue();
        return Long.parseLong(m.group(1));
    }

    private static void screenshot(WebDriver driver, Path to) throws java.io.IOException {
        File png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(png.toPath(), to, StandardCopyOption.REPLACE_EXISTING);
    }
}
