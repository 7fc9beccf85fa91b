package lab.d2c.model.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import org.junit.jupiter.api.Assumptions;

/**
 * For tests on the real Fashion-MNIST: they skip without Debian's data set, except under
 * {@code D2C_REQUIRE_DATASET=1} ({@code ./d2c test} installs the package and sets it), where a missing
 * data set fails instead of passing unnoticed.
 */
public final class RequireDataset {

    private RequireDataset() {
    }

    public static void orSkip() {
        boolean installed = Files.isDirectory(FashionMnist.DEBIAN_DIR);
        if ("1".equals(System.getenv("D2C_REQUIRE_DATASET"))) {
            assertThat(installed).as("D2C_REQUIRE_DATASET=1 but " + FashionMnist.DEBIAN_DIR
                    + " is missing (sudo apt-get install -y dataset-fashion-mnist)").isTrue();
        }
        Assumptions.assumeTrue(installed, "dataset-fashion-mnist is not installed (./d2c test installs it)");
    }
}
