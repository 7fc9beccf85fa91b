package lab.d2c.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's chromium, headless, through Debian's chromedriver. Tests that need it are skipped
 * without it, except where {@code D2C_REQUIRE_BROWSER=1} ({@code ./d2c test}, and so CI,
 * installs both and sets it), where they fail.
 */
public final class HeadlessChromium {

    private static final File CHROMIUM = new File("/usr/bin/chromium");
    private static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");

    private HeadlessChromium() {
    }

    /** Skips the calling test when chromium is missing, or fails it where the browser is required. */
    public static void requireOrSkip() {
        boolean installed = CHROMIUM.canExecute() && CHROMEDRIVER.canExecute();
        if ("1".equals(System.getenv("D2C_REQUIRE_BROWSER"))) {
            assertThat(installed).as("D2C_REQUIRE_BROWSER=1 but chromium or chromedriver is missing (sudo apt-get install -y chromium chromium-driver)").isTrue();
        }
        Assumptions.assumeTrue(installed, "Debian's chromium and chromium-driver are not installed (./d2c test installs them)");
    }

    /** A browser on a fresh profile, kept off the (closed) network. */
    public static WebDriver start(Path profile) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-quic", "--window-size=1300,1800", "--user-data-dir=" + profile);
        options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER).build();
        return new ChromeDriver(service, options);
    }
}
