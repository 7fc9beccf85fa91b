package lab.d2c.model.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class PrecisionRecallTest {

    @Test
    void aSetHasFullPrecisionAndRecallAgainstItself() {
        DMatrixRMaj x = FrechetDistanceTest.gaussianFeatures(new Random(1), 300, 8, 0);
        PrecisionRecall.Result r = PrecisionRecall.of(x, x, 3);
        assertThat(r.precision()).isEqualTo(1.0);
        assertThat(r.recall()).isEqualTo(1.0);
    }

    @Test
    void farApartSetsHaveNeither() {
        DMatrixRMaj real = FrechetDistanceTest.gaussianFeatures(new Random(1), 100, 8, 0);
        DMatrixRMaj fake = FrechetDistanceTest.gaussianFeatures(new Random(2), 100, 8, 0);
        for (int i = 0; i < fake.data.length; i++) {
            fake.data[i] += 1000;
        }
        PrecisionRecall.Result r = PrecisionRecall.of(real, fake, 3);
        assertThat(r.precision()).isZero();
        assertThat(r.recall()).isZero();
    }

    @Test
    void modeCollapseKeepsPrecisionAndLosesRecall() {
        // generated = copies of the real points of one cluster out of two far-apart clusters
        Random random = new Random(5);
        DMatrixRMaj real = new DMatrixRMaj(200, 2);
        for (int i = 0; i < 200; i++) {
            real.set(i, 0, random.nextGaussian() + (i < 100 ? 0 : 100));
            real.set(i, 1, random.nextGaussian());
        }
        DMatrixRMaj fake = org.ejml.dense.row.CommonOps_DDRM.extract(real, 0, 100, 0, 2);
        PrecisionRecall.Result r = PrecisionRecall.of(real, fake, 3);
        assertThat(r.precision()).isEqualTo(1.0);
        assertThat(r.recall()).isCloseTo(0.5, within(0.02));
    }

    @Test
    void blockedComputationEqualsBruteForce() {
        // more rows than one block (256) so the blocking is exercised
        DMatrixRMaj real = FrechetDistanceTest.gaussianFeatures(new Random(7), 300, 5, 0);
        DMatrixRMaj fake = FrechetDistanceTest.gaussianFeatures(new Random(8), 280, 5, 0.4);
        PrecisionRecall.Result r = PrecisionRecall.of(real, fake, 3);
        assertThat(r.precision()).isEqualTo(bruteForceShare(fake, real, 3));
        assertThat(r.recall()).isEqualTo(bruteForceShare(real, fake, 3));
        assertThat(r.precision()).isBetween(0.05, 0.999);
    }

    private static double bruteForceShare(DMatrixRMaj points, DMatrixRMaj manifold, int k) {
        int n = manifold.numRows;
        double[] radius = new double[n];
        for (int i = 0; i < n; i++) {
            double[] d = new double[n];
            for (int j = 0; j < n; j++) {
                d[j] = i == j ? Double.POSITIVE_INFINITY : dist(manifold, i, manifold, j);
            }
            java.util.Arrays.sort(d);
            radius[i] = d[k - 1];
        }
        int covered = 0;
        for (int p = 0; p < points.numRows; p++) {
            for (int j = 0; j < n; j++) {
                if (dist(points, p, manifold, j) <= radius[j] * (1 + 1e-9)) {
                    covered++;
                    break;
                }
            }
        }
        return covered / (double) points.numRows;
    }

    private static double dist(DMatrixRMaj a, int i, DMatrixRMaj b, int j) {
        double s = 0;
        for (int c = 0; c < a.numCols; c++) {
            double d = a.get(i, c) - b.get(j, c);
            s += d * d;
        }
        return s;
    }
}
