package lab.d2c.model.diffusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import lab.d2c.config.diffusion.NoiseScheduleKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The forward process of every schedule against its closed form q(x_t | x_0). */
class NoiseScheduleTest {

    private static final int T = NoiseSchedule.TRAINING_STEPS;

    /** alphaBar_t as a formula in t. */
    private static DoubleUnaryOperator closedForm(String name) {
        switch (name) {
            case "cosine": {
                DoubleUnaryOperator f = u -> Math.pow(Math.cos((u + 0.008) / 1.008 * Math.PI / 2), 2);
                return t -> f.applyAsDouble((t + 1) / T) / f.applyAsDouble(0);
            }
            case "linear":
                return t -> {
                    double product = 1;
                    for (int s = 0; s <= t; s++) {
                        product *= 1 - (1e-4 + (0.02 - 1e-4) * s / (T - 1));
                    }
                    return product;
                };
            default:
                throw new IllegalArgumentException(name);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"linear", "cosine"})
    void alphaBarFollowsTheClosedFormAndTheMarkovChainReachesIt(String name) {
        NoiseSchedule s = NoiseSchedule.of(name, T);
        assertThat(s.name()).isEqualTo(name);
        DoubleUnaryOperator expected = closedForm(name);
        for (int t : new int[] {0, 1, 10, 100, 250, 500, 750, 900, 990}) {
            assertThat(s.alphaBar(t)).as("%s alphaBar_%d", name, t)
                    .isCloseTo(expected.applyAsDouble(t), within(1e-9 + 1e-9 * expected.applyAsDouble(t)));
        }
        for (int t = 1; t < T; t++) {
            assertThat(s.alphaBar(t)).as("%s decreasing at %d", name, t).isLessThan(s.alphaBar(t - 1));
            assertThat(s.beta(t)).isBetween(0.0, 0.999);
        }
        assertThat(s.alphaBar(T - 1)).as("nearly pure noise at the end").isLessThan(0.01);

        // Run the chain x_t = sqrt(1 - beta_t) x_{t-1} + sqrt(beta_t) e from a fixed x_0 and compare
        // its empirical mean and variance at three steps with N(sqrt(alphaBar_t) x_0, 1 - alphaBar_t).
        int n = 20000;
        double x0 = 1.5;
        int[] checks = {50, 400, 800};
        double[] sum = new double[checks.length];
        double[] sumSq = new double[checks.length];
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < n; i++) {
            double x = x0;
            int c = 0;
            for (int t = 0; t <= checks[checks.length - 1]; t++) {
                x = Math.sqrt(1 - s.beta(t)) * x + Math.sqrt(s.beta(t)) * Gaussians.next(r);
                if (t == checks[c]) {
                    sum[c] += x;
                    sumSq[c] += x * x;
                    c++;
                }
            }
        }
        for (int c = 0; c < checks.length; c++) {
            double mean = sum[c] / n;
            double variance = sumSq[c] / n - mean * mean;
            double bar = s.alphaBar(checks[c]);
            assertThat(mean).as("%s mean at %d", name, checks[c]).isCloseTo(Math.sqrt(bar) * x0, within(0.03));
            assertThat(variance).as("%s variance at %d", name, checks[c]).isCloseTo(1 - bar, within(0.04));
        }
    }

    @Test
    void diffuseIsTheClosedFormRowByRow() {
        NoiseSchedule s = NoiseSchedule.of("cosine", T);
        DiffusionLoss loss = new DiffusionLoss(new DiffusionHead(2, 8, 1, true), s, 10);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x0 = m.create(new float[] {1, -2, 0.5f, 3}, new Shape(2, 2));
            NDArray eps = m.create(new float[] {0.1f, 0.2f, -1, 0.7f}, new Shape(2, 2));
            float[] xt = loss.diffuse(x0, new int[] {3, 700}, eps).toFloatArray();
            double a0 = Math.sqrt(s.alphaBar(3));
            double a1 = Math.sqrt(s.alphaBar(700));
            assertThat(xt[0]).isCloseTo((float) (a0 * 1 + Math.sqrt(1 - a0 * a0) * 0.1), within(1e-6f));
            assertThat(xt[1]).isCloseTo((float) (a0 * -2 + Math.sqrt(1 - a0 * a0) * 0.2), within(1e-6f));
            assertThat(xt[2]).isCloseTo((float) (a1 * 0.5 + Math.sqrt(1 - a1 * a1) * -1), within(1e-6f));
            assertThat(xt[3]).isCloseTo((float) (a1 * 3 + Math.sqrt(1 - a1 * a1) * 0.7), within(1e-6f));
        }
    }

    @Test
    void respacingKeepsTheEndsAndTheTrainingMarginals() {
        NoiseSchedule s = NoiseSchedule.of("linear", T);
        RespacedSchedule r = s.respaced(100);
        assertThat(r.count()).isEqualTo(100);
        assertThat(r.timestep(0)).isZero();
        assertThat(r.timestep(1)).isEqualTo(10);
        assertThat(r.timestep(99)).isEqualTo(T - 1);
        assertThat(r.sigma(0)).isZero();
        // a perfect noise prediction recovers x_0, and the last reverse step (i = 0) returns it
        double x0 = 0.8;
        double eps = -0.3;
        for (int i : new int[] {0, 50, 99}) {
            double bar = s.alphaBar(r.timestep(i));
            double xt = Math.sqrt(bar) * x0 + Math.sqrt(1 - bar) * eps;
            assertThat(r.x0FromX(i) * xt + r.x0FromEps(i) * eps).isCloseTo(x0, within(1e-9));
        }
        assertThat(r.meanX0(0)).isCloseTo(1, within(1e-12));
        assertThat(r.meanX(0)).isCloseTo(0, within(1e-12));
        // elsewhere the posterior mean is E[x_{i-1} | x_i, x_0] of the kept marginals (DDPM Eq. 7)
        double barI = s.alphaBar(r.timestep(50));
        double barPrev = s.alphaBar(r.timestep(49));
        double beta = 1 - barI / barPrev;
        assertThat(r.meanX0(50)).isCloseTo(Math.sqrt(barPrev) * beta / (1 - barI), within(1e-12));
        assertThat(r.sigma(50) * r.sigma(50)).isCloseTo((1 - barPrev) / (1 - barI) * beta, within(1e-12));
    }

    @Test
    void unknownSchedulesAreRefusedWithTheKindsThereAre() {
        assertThatThrownBy(() -> NoiseSchedule.of("quadratic", T)).hasMessageContaining("'quadratic'")
                .hasMessageContaining("linear, cosine");
        // RDPM's tokenizer schedules are not a diffusion head's (issue 21, part 5)
        assertThatThrownBy(() -> NoiseScheduleKind.of("sin")).hasMessageContaining("RDPM");
        assertThatThrownBy(() -> NoiseScheduleKind.of("pow(0.75)")).hasMessageContaining("not one of linear, cosine");
        assertThat(NoiseScheduleKind.of("COSINE")).isEqualTo(NoiseScheduleKind.COSINE);
        assertThat(NoiseSchedule.of(NoiseScheduleKind.COSINE, T).name()).isEqualTo("cosine");
    }
}
