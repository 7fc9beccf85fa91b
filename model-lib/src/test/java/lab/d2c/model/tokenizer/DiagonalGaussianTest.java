package lab.d2c.model.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import lab.d2c.model.nn.FiniteDifferences;
import lab.d2c.model.train.StepRandom;
import org.junit.jupiter.api.Test;

class DiagonalGaussianTest {

    private static final Shape SHAPE = new Shape(2, 3, 2, 2);

    @Test
    void klMatchesTheClosedFormPerSample() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray mean = FiniteDifferences.random(m, SHAPE, 1);
            NDArray logvar = FiniteDifferences.random(m, SHAPE, 2);
            double[] kl = new DiagonalGaussian(mean, logvar).kl().toDoubleArray();
            double[] mu = mean.toDoubleArray();
            double[] lv = logvar.toDoubleArray();
            int per = 12;
            for (int b = 0; b < 2; b++) {
                double expected = 0;
                for (int i = b * per; i < (b + 1) * per; i++) {
                    expected += 0.5 * (mu[i] * mu[i] + Math.exp(lv[i]) - 1 - lv[i]);
                }
                assertThat(kl[b]).isCloseTo(expected, within(1e-12));
            }
            NDArray standard = new DiagonalGaussian(m.zeros(SHAPE, DataType.FLOAT64), m.zeros(SHAPE, DataType.FLOAT64)).kl();
            assertThat(standard.toDoubleArray()).containsOnly(0.0);
        }
    }

    @Test
    void klGradientsMatchCentralDifferencesAndTheClosedForm() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray mean = FiniteDifferences.random(m, SHAPE, 3);
            NDArray logvar = FiniteDifferences.random(m, SHAPE, 4);
            int[] idx = FiniteDifferences.all(SHAPE.size());

            double[] dMean = FiniteDifferences.autograd(m, mean, mu -> new DiagonalGaussian(mu, logvar).kl().sum());
            double[] numMean = FiniteDifferences.gradient(mean.toDoubleArray(), idx,
                    v -> new DiagonalGaussian(m.create(v, SHAPE), logvar).kl().sum().getDouble());
            assertThat(FiniteDifferences.relativeError(dMean, numMean)).isLessThan(1e-8);
            assertThat(FiniteDifferences.relativeError(dMean, mean.toDoubleArray())).isLessThan(1e-12); // d/dmu = mu

            double[] dLogvar = FiniteDifferences.autograd(m, logvar, lv -> new DiagonalGaussian(mean, lv).kl().sum());
            double[] numLogvar = FiniteDifferences.gradient(logvar.toDoubleArray(), idx,
                    v -> new DiagonalGaussian(mean, m.create(v, SHAPE)).kl().sum().getDouble());
            assertThat(FiniteDifferences.relativeError(dLogvar, numLogvar)).isLessThan(1e-8);
            double[] lv = logvar.toDoubleArray();
            for (int i = 0; i < lv.length; i++) {
                assertThat(dLogvar[i]).isCloseTo(0.5 * (Math.exp(lv[i]) - 1), within(1e-12)); // d/dlogvar
            }
        }
    }

    @Test
    void logvarIsClampedLikeLdmAndSamplesComeFromStepRandom() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray moments = m.create(new float[] {0.5f, -1f, 50f, -50f}, new Shape(1, 4, 1, 1));
            DiagonalGaussian q = DiagonalGaussian.fromMoments(moments);
            assertThat(q.mean().toFloatArray()).containsExactly(0.5f, -1f);
            assertThat(q.logvar().toFloatArray()).containsExactly(20f, -30f);

            DiagonalGaussian p = new DiagonalGaussian(m.create(new float[] {1, 2, 3}), m.create(new float[] {0, 0, 0}));
            float[] a = p.sample(new StepRandom(7, 3), "noise").toFloatArray();
            float[] b = p.sample(new StepRandom(7, 3), "noise").toFloatArray();
            float[] c = p.sample(new StepRandom(7, 4), "noise").toFloatArray();
            assertThat(a).containsExactly(b);
            assertThat(a).isNotEqualTo(c);
            float[] noise = new StepRandom(7, 3).normal(m, new Shape(3), "noise").toFloatArray();
            for (int i = 0; i < 3; i++) {
                assertThat(a[i]).isEqualTo(i + 1 + noise[i]);
            }
        }
    }
}
