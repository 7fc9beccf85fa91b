package lab.d2c.model.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrechetDistanceTest {

    @TempDir
    Path dir;

    @Test
    void diagonalGaussiansMatchTheClosedForm() {
        // S1, S2 diagonal: tr((S1 S2)^(1/2)) = sum sqrt(a_i b_i), so FID = |dm|^2 + sum (sqrt a - sqrt b)^2
        double[] a = {1.0, 4.0, 0.25, 9.0};
        double[] b = {2.0, 1.0, 0.5, 9.0};
        double[] m1 = {0, 1, 2, 3};
        double[] m2 = {1, 1, 0, 3};
        double expected = 0;
        for (int i = 0; i < 4; i++) {
            expected += (m1[i] - m2[i]) * (m1[i] - m2[i]) + Math.pow(Math.sqrt(a[i]) - Math.sqrt(b[i]), 2);
        }
        FrechetDistance.Result r = FrechetDistance.between(new GaussianStats(m1, diag(a), 10),
                new GaussianStats(m2, diag(b), 10));
        assertThat(r.value()).isCloseTo(expected, within(1e-12));
        assertThat(r.offsetUsed()).isFalse();
    }

    @Test
    void aGaussianIsAtDistanceZeroFromItselfEvenWhenRankDeficient() {
        GaussianStats s = GaussianStats.of(gaussianFeatures(new Random(3), 10, 40, 0.0));
        assertThat(s.covariance().numRows).isEqualTo(40);
        FrechetDistance.Result r = FrechetDistance.between(s, s);
        double trace = org.ejml.dense.row.CommonOps_DDRM.trace(s.covariance());
        // the 30 null eigenvalues are zero only up to rounding (~1e-16 of the largest); their square
        // roots (~1e-8 relative each) are what is left
        assertThat(Math.abs(r.value())).isLessThan(1e-6 * trace);
    }

    @Test
    void covarianceIsNumpysUnbiasedCov() {
        DMatrixRMaj x = DMatrixRMaj.wrap(3, 2, new double[] {1, 2, 3, 6, 5, 4});
        GaussianStats s = GaussianStats.of(x);
        assertThat(s.mean()).containsExactly(3.0, 4.0);
        // np.cov([[1,2],[3,6],[5,4]], rowvar=False) = [[4, 2], [2, 4]]
        assertThat(s.covariance().data).containsExactly(4.0, 2.0, 2.0, 4.0);
    }

    @Test
    void agreesWithPytorchFidsScipyComputation() throws Exception {
        boolean scipy = pythonWithScipy();
        // ./d2c test installs python3-scipy and sets this: there the cross-check must run, not skip
        if ("1".equals(System.getenv("D2C_REQUIRE_SCIPY"))) {
            assertThat(scipy).as("D2C_REQUIRE_SCIPY=1 but python3 on PATH cannot import numpy and scipy.linalg "
                    + "(sudo apt-get install -y python3-scipy python3-numpy)").isTrue();
        }
        assumeTrue(scipy, "python3 with scipy is not installed (Debian: apt-get install python3-scipy; "
                + "./d2c test installs it), so the scipy.linalg.sqrtm reference cannot run");
        Random random = new Random(11);
        // full rank: 400 samples in 24 dimensions, correlated, different means and covariances
        check(gaussianFeatures(random, 400, 24, 0.0), gaussianFeatures(random, 300, 24, 0.7));
        // rank-deficient: 30 samples in 64 dimensions (covariances of rank 29)
        check(gaussianFeatures(random, 30, 64, 0.0), gaussianFeatures(random, 30, 64, 0.3));
    }

    private void check(DMatrixRMaj a, DMatrixRMaj b) throws Exception {
        double ours = FrechetDistance.between(GaussianStats.of(a), GaussianStats.of(b)).value();
        double reference = scipyFid(a, b);
        assertThat(Math.abs(ours - reference) / Math.abs(reference))
                .as("ours %s, scipy %s", ours, reference).isLessThan(1e-4);
    }

    private double scipyFid(DMatrixRMaj a, DMatrixRMaj b) throws Exception {
        Path script = dir.resolve("fid_reference.py");
        try (InputStream in = getClass().getResourceAsStream("/eval/fid_reference.py")) {
            Files.copy(in, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Path fa = write(a, "a.npy");
        Path fb = write(b, "b.npy");
        Process p = new ProcessBuilder("python3", script.toString(), fa.toString(), fb.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        String[] lines = out.strip().split("\n");
        return Double.parseDouble(lines[lines.length - 1]);
    }

    private Path write(DMatrixRMaj m, String name) throws IOException {
        Path f = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(f)) {
            lab.d2c.model.data.Npy.writeFloat64(out, m.data, m.numRows, m.numCols);
        }
        return f;
    }

    static boolean pythonWithScipy() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import scipy.linalg, numpy").redirectErrorStream(true)
                    .start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** n samples of a correlated d-dimensional Gaussian: x = z A + shift, A random. */
    static DMatrixRMaj gaussianFeatures(Random random, int n, int d, double shift) {
        double[][] mix = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                mix[i][j] = random.nextGaussian() / Math.sqrt(d) + (i == j ? 1 : 0);
            }
        }
        DMatrixRMaj x = new DMatrixRMaj(n, d);
        for (int r = 0; r < n; r++) {
            double[] z = new double[d];
            for (int i = 0; i < d; i++) {
                z[i] = random.nextGaussian();
            }
            for (int j = 0; j < d; j++) {
                double v = shift * (j % 3);
                for (int i = 0; i < d; i++) {
                    v += z[i] * mix[i][j];
                }
                x.set(r, j, v);
            }
        }
        return x;
    }

    private static DMatrixRMaj diag(double[] values) {
        DMatrixRMaj m = new DMatrixRMaj(values.length, values.length);
        for (int i = 0; i < values.length; i++) {
            m.set(i, i, values[i]);
        }
        return m;
    }
}
