package lab.d2c.model.diffusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.Arrays;
import java.util.SplittableRandom;
import lab.d2c.model.nn.ParamGradients;
import lab.d2c.model.nn.StepArrays;
import lab.d2c.model.train.StepRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The loss and sampler of {@link DiffusionLoss} with fixed and with learned variances. */
class DiffusionLossTest {

    private static final int C = 3;
    private static final int ROWS = 6;
    private static final int Z = 5;

    /** A small head whose every parameter is a seeded draw, so its outputs are far from the zero init. */
    private static DiffusionLoss randomized(NDManager m, NoiseSchedule schedule, boolean learnSigma) {
        DiffusionLoss loss = new DiffusionLoss(new DiffusionHead(C, 16, 2, learnSigma), schedule, 7);
        loss.initialize(m, DataType.FLOAT32, new Shape(ROWS, C), new Shape(ROWS, TimestepEmbedder.FREQUENCIES),
                new Shape(ROWS, Z));
        SplittableRandom r = new SplittableRandom(11);
        for (Pair<String, Parameter> p : loss.getParameters()) {
            NDArray a = p.getValue().getArray();
            float[] v = new float[Math.toIntExact(a.size())];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (0.3 * Gaussians.next(r));
            }
            a.set(v);
        }
        return loss;
    }

    /** N(0, std^2) draws from a seeded Java generator (the engine's generator is not seeded here). */
    private static NDArray normal(NDManager m, Shape shape, double std, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (std * Gaussians.next(r));
        }
        return m.create(v, shape);
    }

    private static SplittableRandom[] generators(int rows, long seed) {
        SplittableRandom root = new SplittableRandom(seed);
        SplittableRandom[] out = new SplittableRandom[rows];
        for (int i = 0; i < rows; i++) {
            out[i] = root.split();
        }
        return out;
    }

    /**
     * With fixed variances the loss and the sampler compute what they computed before learned
     * variances existed: both are compared bit for bit with that code, restated here.
     */
    @Test
    void fixedVariancesAreTheCodePathAsItWas() {
        NoiseSchedule schedule = NoiseSchedule.of("cosine", NoiseSchedule.TRAINING_STEPS);
        try (NDManager m = NDManager.newBaseManager()) {
            DiffusionLoss loss = randomized(m, schedule, false);
            ParameterStore store = new ParameterStore(m, false);
            NDArray target = normal(m, new Shape(ROWS, C), 1, 1);
            NDArray z = normal(m, new Shape(ROWS, Z), 1, 2);
            NDArray mask = m.create(new float[] {1, 0, 1, 1, 0, 1});
            StepRandom rng = new StepRandom(3, 17);
            assertThat(loss.loss(store, target, z, mask, rng).getFloat())
                    .isEqualTo(lossAsItWas(loss, store, target, z, mask, rng).getFloat());
            assertThat(loss.loss(store, target, z, null, rng).getFloat())
                    .isEqualTo(lossAsItWas(loss, store, target, z, null, rng).getFloat());

            NDArray guidedZ = normal(m, new Shape(2 * ROWS, Z), 1, 3);
            assertThat(loss.sample(store, z, 0.9, 1.0, 0, generators(ROWS, 5)).toFloatArray())
                    .containsExactly(sampleAsItWas(loss, store, z, 0.9, 1.0, 0, generators(ROWS, 5)).toFloatArray());
            assertThat(loss.sample(store, guidedZ, 1.1, 3.0, 2.0, generators(ROWS, 6)).toFloatArray())
                    .containsExactly(sampleAsItWas(loss, store, guidedZ, 1.1, 3.0, 2.0, generators(ROWS, 6))
                            .toFloatArray());
        }
    }

    /** DiffusionLoss.loss before learned variances (noise MSE only). */
    private static NDArray lossAsItWas(DiffusionLoss loss, ParameterStore store, NDArray target, NDArray z,
            NDArray mask, StepRandom rng) {
        NoiseSchedule schedule = loss.schedule();
        int rows = Math.toIntExact(target.getShape().get(0));
        NDManager m = target.getManager();
        SplittableRandom steps = rng.generator("diffusion/t");
        int[] t = new int[rows];
        for (int i = 0; i < rows; i++) {
            t[i] = steps.nextInt(schedule.steps());
        }
        NDArray eps = rng.normal(m, target.getShape(), "diffusion/eps");
        float[] signal = new float[rows];
        float[] noise = new float[rows];
        for (int i = 0; i < rows; i++) {
            signal[i] = (float) Math.sqrt(schedule.alphaBar(t[i]));
            noise[i] = (float) Math.sqrt(1 - schedule.alphaBar(t[i]));
        }
        NDArray xt = target.mul(m.create(signal, new Shape(rows, 1))).add(eps.mul(m.create(noise, new Shape(rows, 1))));
        NDArray predicted = loss.head().forward(store, new NDList(xt, TimestepEmbedder.sinusoid(m, t), z), true)
                .singletonOrThrow();
        NDArray diff = eps.sub(predicted);
        NDArray perRow = diff.mul(diff).mean(new int[] {1});
        return mask == null ? perRow.mean() : perRow.mul(mask).sum().div(mask.sum());
    }

    /** DiffusionLoss.sample before learned variances (the fixed small posterior variance). */
    private static NDArray sampleAsItWas(DiffusionLoss loss, ParameterStore store, NDArray z, double temperature,
            double scale, double x0Clip, SplittableRandom[] rowRandom) {
        RespacedSchedule sampling = loss.sampling();
        boolean guided = scale != 1.0;
        int rows = Math.toIntExact(z.getShape().get(0));
        int out = guided ? rows / 2 : rows;
        NDManager m = z.getManager();
        NDArray x = DiffusionLoss.gaussian(m, rowRandom, C, 1.0);
        for (int i = sampling.count() - 1; i >= 0; i--) {
            NDArray tFeatures = TimestepEmbedder.sinusoid(m, new int[] {sampling.timestep(i)});
            NDArray input = guided ? NDArrays.concat(new NDList(x, x), 0) : x;
            NDArray eps = loss.head().forward(store, new NDList(input, tFeatures, z), false).singletonOrThrow();
            if (guided) {
                NDArray conditional = eps.get(":{}", out);
                NDArray unconditional = eps.get("{}:", out);
                eps = unconditional.add(conditional.sub(unconditional).mul(StepArrays.scalar(eps, scale)));
            }
            NDArray x0 = x.mul(StepArrays.scalar(x, sampling.x0FromX(i)))
                    .add(eps.mul(StepArrays.scalar(eps, sampling.x0FromEps(i))));
            if (x0Clip > 0) {
                x0 = x0.clip(-x0Clip, x0Clip);
            }
            NDArray next = x0.mul(StepArrays.scalar(x0, sampling.meanX0(i)))
                    .add(x.mul(StepArrays.scalar(x, sampling.meanX(i))));
            if (i > 0) {
                next = next.add(DiffusionLoss.gaussian(m, rowRandom, C, temperature * sampling.sigma(i)));
            }
            x = next;
        }
        return x;
    }

    /**
     * The masked rows alone, each with the t and eps it draws among all rows, give the masked mean over all rows
     * and the same gradient of every head parameter and of z, up to float rounding: stage two runs the head on
     * the masked rows only (MAR runs it on every row and weights by the mask).
     */
    @ParameterizedTest(name = "learnSigma {0}")
    @CsvSource({"false", "true"})
    void theKeptRowsAloneGiveTheMaskedLossAndGradients(boolean learnSigma) {
        NoiseSchedule schedule = NoiseSchedule.of("cosine", NoiseSchedule.TRAINING_STEPS);
        int rows = 24;
        int[] kept = {1, 2, 3, 5, 8, 9, 13, 14, 15, 16, 20, 23};
        float[] maskRows = new float[rows];
        long[] source = new long[kept.length];
        for (int j = 0; j < kept.length; j++) {
            maskRows[kept[j]] = 1;
            source[j] = kept[j];
        }
        try (NDManager m = NDManager.newBaseManager()) {
            DiffusionLoss loss = randomized(m, schedule, learnSigma);
            ParameterStore store = new ParameterStore(m, false);
            NDArray target = normal(m, new Shape(rows, C), 1, 1);
            NDArray z = normal(m, new Shape(rows, Z), 1, 2);
            NDArray mask = m.create(maskRows);
            StepRandom rng = new StepRandom(3, 17);
            z.setRequiresGradient(true);
            ParamGradients.Computed all = ParamGradients.of(loss, () -> loss.loss(store, target, z, mask, rng));
            float[] zAll = takeGradient(z);
            ParamGradients.Computed some = ParamGradients.of(loss, () -> loss.loss(store,
                    StepArrays.rows(target, source), StepArrays.rows(z, source), kept, rows, rng));
            float[] zSome = takeGradient(z);
            ParamGradients.assertSame(all, some, 1e-5);
            assertThat(all.loss()).as("the loss is not trivially 0").isGreaterThan(0.1);
            for (int r = 0; r < rows; r++) {
                for (int k = 0; k < Z; k++) {
                    assertThat(zSome[r * Z + k]).as("dL/dz row %d", r).isCloseTo(zAll[r * Z + k], within(1e-6f));
                }
                if (maskRows[r] == 1) {
                    assertThat(Arrays.copyOfRange(zAll, r * Z, (r + 1) * Z)).as("a kept row's z gets a gradient")
                            .isNotEqualTo(new float[Z]);
                }
            }
        }
    }

    private static float[] takeGradient(NDArray x) {
        NDArray g = x.getGradient();
        float[] values = g.toFloatArray();
        g.subi(g);
        g.close();
        return values;
    }

    /**
     * Embedding each distinct step once and looking the rows up is the per-row time embedding: the head's
     * output at rows that share steps, against one sinusoid row per row.
     */
    @ParameterizedTest(name = "learnSigma {0}")
    @CsvSource({"false", "true"})
    void theDistinctStepLookupIsThePerRowTimeEmbedding(boolean learnSigma) {
        NoiseSchedule schedule = NoiseSchedule.of("cosine", NoiseSchedule.TRAINING_STEPS);
        int[] t = {999, 3, 500, 3, 0, 999, 41, 500, 7, 3};
        try (NDManager m = NDManager.newBaseManager()) {
            DiffusionLoss loss = randomized(m, schedule, learnSigma);
            ParameterStore store = new ParameterStore(m, false);
            NDArray x = normal(m, new Shape(t.length, C), 1, 7);
            NDArray z = normal(m, new Shape(t.length, Z), 1, 8);
            float[] perRow = loss.head().forward(store, new NDList(x, TimestepEmbedder.sinusoid(m, t), z), false)
                    .singletonOrThrow().toFloatArray();
            float[] lookedUp = loss.head().rowsAtSteps(store, x, t, z, false).toFloatArray();
            assertThat(lookedUp).hasSameSizeAs(perRow);
            for (int i = 0; i < perRow.length; i++) {
                assertThat(lookedUp[i]).as("output %d", i).isCloseTo(perRow[i], within(1e-5f));
            }
        }
    }

    /**
     * Learning the variance, the loss is the noise MSE plus the vb term: recomputed here in double
     * from the DDPM posterior (Ho et al. Eq. 6-7) and the closed-form KL of two Gaussians.
     */
    @Test
    void learningTheVarianceAddsTheVbTermToTheNoiseMse() {
        NoiseSchedule schedule = NoiseSchedule.of("linear", NoiseSchedule.TRAINING_STEPS);
        int rows = 16;
        try (NDManager m = NDManager.newBaseManager()) {
            DiffusionLoss loss = randomized(m, schedule, true);
            ParameterStore store = new ParameterStore(m, false);
            NDArray target = normal(m, new Shape(rows, C), 0.5, 4);
            NDArray z = normal(m, new Shape(rows, Z), 1, 5);
            StepRandom rng = new StepRandom(9, 2);
            Draws d = draws(loss, store, target, z, rng);
            double mse = 0;
            double vb = 0;
            for (int r = 0; r < rows; r++) {
                for (int k = 0; k < C; k++) {
                    double e = d.eps[r * C + k] - d.out[r * 2 * C + k];
                    mse += e * e / C / rows;
                }
                vb += vbBits(schedule, d.t[r], slice(d.x0, r), slice(d.xt, r), noiseHalf(d.out, r),
                        varianceHalf(d.out, r)) / rows;
            }
            System.out.printf("mse %.5f vb %.5f%n", mse, vb);
            double tolerance = 1e-4 * (mse + vb);
            assertThat(vb).as("the vb term is far above the tolerance").isGreaterThan(100 * tolerance);
            assertThat((double) loss.loss(store, target, z, null, rng).getFloat())
                    .isCloseTo(mse + vb, within(tolerance));
        }
    }

    /**
     * The vb term sees the noise prediction detached (guided-diffusion's frozen_out): the gradient
     * on the noise half of the output is the MSE's alone, while the variance half gets one.
     */
    @Test
    void theVbTermTrainsTheVarianceOnlyNotTheNoisePrediction() {
        NoiseSchedule schedule = NoiseSchedule.of("linear", NoiseSchedule.TRAINING_STEPS);
        int rows = 16;
        float[] maskRows = new float[rows];
        for (int r = 0; r < rows; r++) {
            maskRows[r] = r % 3 == 0 ? 0 : 1;
        }
        try (NDManager m = NDManager.newBaseManager()) {
            DiffusionLoss loss = randomized(m, schedule, true);
            ParameterStore store = new ParameterStore(m, false);
            NDArray target = normal(m, new Shape(rows, C), 1, 6);
            NDArray z = normal(m, new Shape(rows, Z), 1, 7);
            NDArray mask = m.create(maskRows);
            StepRandom rng = new StepRandom(4, 8);
            Draws d = draws(loss, store, target, z, rng);
            NDArray bias = finalBias(loss);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(loss.loss(store, target, z, mask, rng));
            }
            float[] gradient = bias.getGradient().toFloatArray();
            double weight = 0;
            for (float w : maskRows) {
                weight += w;
            }
            for (int k = 0; k < C; k++) {
                double expected = 0;
                for (int r = 0; r < rows; r++) {
                    expected += maskRows[r] / weight * -2.0 / C * (d.eps[r * C + k] - d.out[r * 2 * C + k]);
                }
                assertThat((double) gradient[k]).as("noise channel %d", k)
                        .isCloseTo(expected, within(1e-4 * Math.max(1, Math.abs(expected))));
                assertThat(Math.abs(gradient[C + k])).as("variance channel %d", k).isGreaterThan(1e-4f);
            }
        }
    }

    /** KL of two 1-D Gaussians: log(s2 / s1) + (s1^2 + (m1 - m2)^2) / (2 s2^2) - 1/2. */
    @Test
    void normalKlIsTheClosedFormInOneDimension() {
        double[][] cases = {{0, 1, 0, 1}, {0.3, 0.5, -1.2, 2.0}, {2.0, 3.0, 1.5, 0.2}, {-0.7, 0.01, -0.69, 0.012}};
        try (NDManager m = NDManager.newBaseManager()) {
            for (double[] c : cases) {
                NDArray kl = Gaussians.normalKl(m.create((float) c[0]), m.create((float) Math.log(c[1] * c[1])),
                        m.create((float) c[2]), m.create((float) Math.log(c[3] * c[3])));
                double expected = Math.log(c[3] / c[1]) + (c[1] * c[1] + (c[0] - c[2]) * (c[0] - c[2]))
                        / (2 * c[3] * c[3]) - 0.5;
                assertThat((double) kl.getFloat()).as("%s", Arrays.toString(c))
                        .isCloseTo(expected, within(1e-5 * Math.max(1, expected)));
            }
        }
    }

    /**
     * For a 1-D token at t > 0 the vb term is KL(q(x_{t-1} | x_t, x_0) || p(x_{t-1} | x_t)) in bits:
     * q the DDPM posterior, p centred on the posterior mean of the predicted x_0 with the variance
     * exp(frac log beta_t + (1 - frac) log posterior variance), frac = (v + 1) / 2.
     */
    @Test
    void theVbTermIsTheKlOfTheTruePosteriorFromThePredictedOne() {
        NoiseSchedule schedule = NoiseSchedule.of("cosine", NoiseSchedule.TRAINING_STEPS);
        RespacedSchedule training = schedule.respaced(schedule.steps());
        int[] t = {1, 17, 500, 998};
        float[] x0 = {0.4f, -1.3f, 0.9f, 2.0f};
        float[] xt = {0.35f, -0.8f, 0.1f, -0.6f};
        float[] eps = {0.2f, 0.9f, -1.1f, 0.3f};
        float[] v = {-1f, 0.25f, 1f, -0.6f};
        try (NDManager m = NDManager.newBaseManager()) {
            float[] bits = LearnedVariance.bits(training, column(m, x0), column(m, xt), column(m, eps), column(m, v), t)
                    .toFloatArray();
            for (int i = 0; i < t.length; i++) {
                double ab = schedule.alphaBar(t[i]);
                double abPrev = schedule.alphaBar(t[i] - 1);
                double beta = 1 - ab / abPrev;
                double qVar = beta * (1 - abPrev) / (1 - ab);
                double c0 = beta * Math.sqrt(abPrev) / (1 - ab);
                double ct = (1 - abPrev) * Math.sqrt(1 - beta) / (1 - ab);
                double qMean = c0 * x0[i] + ct * xt[i];
                double predicted = (xt[i] - Math.sqrt(1 - ab) * eps[i]) / Math.sqrt(ab);
                double pMean = c0 * predicted + ct * xt[i];
                double frac = (v[i] + 1) / 2;
                double pVar = Math.exp(frac * Math.log(beta) + (1 - frac) * Math.log(qVar));
                double kl = 0.5 * Math.log(pVar / qVar) + (qVar + (qMean - pMean) * (qMean - pMean)) / (2 * pVar) - 0.5;
                double expected = kl / Math.log(2);
                assertThat((double) bits[i]).as("t = %d", t[i])
                        .isCloseTo(expected, within(1e-3 * Math.max(1e-2, Math.abs(expected))));
            }
            // v = -1 is the true posterior's variance: only the means' distance is left
            assertThat(bits[0]).isGreaterThan(0f);
        }
    }

    /**
     * At t = 0 the vb term is the decoder NLL in bits of x_0 under N(mu, sigma^2) discretized to bins
     * of half-width 1/255, the outer bins open: -log2(Phi(b+) - Phi(b-)) inside [-0.999, 0.999],
     * -log2 Phi(b+) below, -log2(1 - Phi(b-)) above, b+- = (x_0 +- 1/255 - mu) / sigma. Phi here is the
     * exact normal CDF; the reference's tanh approximation stays within 0.01 bits of it for these
     * bins, all within 2 sigma of the mean (further out its relative error grows).
     */
    @Test
    void atTheFirstStepTheVbTermIsTheDiscretizedGaussianDecoderNll() {
        NoiseSchedule schedule = NoiseSchedule.of("linear", NoiseSchedule.TRAINING_STEPS);
        RespacedSchedule training = schedule.respaced(schedule.steps());
        float[] x0 = {0.3f, 1.0f, -1.0f, 0.5f};
        float[] mu = {0.305f, 0.995f, -0.99f, 0.49f};
        float[] v = {0.3f, 0.3f, -0.5f, 1f};
        double ab0 = schedule.alphaBar(0);
        double beta0 = 1 - ab0;
        double ab1 = schedule.alphaBar(1);
        double logPosterior1 = Math.log((1 - ab1 / ab0) * (1 - ab0) / (1 - ab1));
        float[] xt = new float[x0.length];
        float[] eps = new float[x0.length];
        for (int i = 0; i < x0.length; i++) {
            xt[i] = (float) (mu[i] * Math.sqrt(ab0)); // eps = 0: the predicted x_0, and mean at t = 0, is mu
        }
        try (NDManager m = NDManager.newBaseManager()) {
            float[] bits = LearnedVariance.bits(training, column(m, x0), column(m, xt), column(m, eps), column(m, v),
                    new int[x0.length]).toFloatArray();
            for (int i = 0; i < x0.length; i++) {
                double frac = (v[i] + 1) / 2;
                double sigma = Math.exp(0.5 * (frac * Math.log(beta0) + (1 - frac) * logPosterior1));
                double plus = phi((x0[i] + 1 / 255.0 - mu[i]) / sigma);
                double minus = phi((x0[i] - 1 / 255.0 - mu[i]) / sigma);
                double p = x0[i] < -0.999 ? plus : x0[i] > 0.999 ? 1 - minus : plus - minus;
                double expected = -Math.log(p) / Math.log(2);
                assertThat((double) bits[i]).as("x0 = %s", x0[i]).isCloseTo(expected, within(0.01));
            }
            // the edges are the open bins: the interior formula would give another value there
            double sigma = Math.exp(0.5 * (0.65 * Math.log(beta0) + 0.35 * logPosterior1));
            double interior = -Math.log(phi((1.0 + 1 / 255.0 - 0.995) / sigma) - phi((1.0 - 1 / 255.0 - 0.995) / sigma))
                    / Math.log(2);
            assertThat(Math.abs(bits[1] - interior)).isGreaterThan(0.3);
        }
    }

    /**
     * Respaced sampling draws with the learned variance of the respaced betas beta'_i = 1 -
     * alphaBar(t_i) / alphaBar(t_{i-1}) (guided-diffusion's respace.py): a head whose variance output
     * is forced to 1 adds noise of variance beta'_i, forced to -1 the posterior variance beta'_i (1 -
     * alphaBar(t_{i-1})) / (1 - alphaBar(t_i)). The head's noise output is forced to 0, so each step is
     * x_{i-1} = m0_i x_i / sqrt(alphaBar_i) + mt_i x_i + temperature sigma_i z, recomputed here from
     * the same draws; with guidance the same (both branches predict 0).
     */
    @ParameterizedTest
    @CsvSource({"1, 1.0", "-1, 1.0", "1, 3.0", "-1, 3.0"})
    void respacedSamplingUsesTheLearnedVarianceOfTheRespacedBetas(float forced, double scale) {
        NoiseSchedule schedule = NoiseSchedule.of("linear", NoiseSchedule.TRAINING_STEPS);
        int steps = 4;
        int rows = 3;
        int c = 2;
        double temperature = 0.7;
        boolean guided = scale != 1.0;
        DiffusionLoss loss = new DiffusionLoss(new DiffusionHead(c, 8, 1, true), schedule, steps);
        try (NDManager m = NDManager.newBaseManager()) {
            int zRows = guided ? 2 * rows : rows;
            loss.initialize(m, DataType.FLOAT32, new Shape(zRows, c), new Shape(1, TimestepEmbedder.FREQUENCIES),
                    new Shape(zRows, Z));
            // the final linear starts at zero, so the head outputs its bias: noise 0, variance `forced`
            finalBias(loss).set(new float[] {0, 0, forced, forced});
            float[] drawn = loss.sample(new ParameterStore(m, false), normal(m, new Shape(zRows, Z), 1, 8), temperature,
                    scale, 0, generators(rows, 21)).toFloatArray();

            SplittableRandom[] draws = generators(rows, 21);
            double[] x = new double[rows * c];
            for (int r = 0; r < rows; r++) {
                for (int k = 0; k < c; k++) {
                    x[r * c + k] = Gaussians.next(draws[r]);
                }
            }
            double stride = (NoiseSchedule.TRAINING_STEPS - 1.0) / (steps - 1);
            for (int i = steps - 1; i >= 0; i--) {
                double ab = schedule.alphaBar((int) Math.round(i * stride));
                double abPrev = i == 0 ? 1 : schedule.alphaBar((int) Math.round((i - 1) * stride));
                double beta = 1 - ab / abPrev;
                double c0 = beta * Math.sqrt(abPrev) / (1 - ab);
                double ct = (1 - abPrev) * Math.sqrt(1 - beta) / (1 - ab);
                double variance = forced > 0 ? beta : beta * (1 - abPrev) / (1 - ab);
                for (int r = 0; r < rows; r++) {
                    for (int k = 0; k < c; k++) {
                        double mean = c0 * x[r * c + k] / Math.sqrt(ab) + ct * x[r * c + k];
                        double noise = i > 0 ? temperature * Math.sqrt(variance) * Gaussians.next(draws[r]) : 0;
                        x[r * c + k] = mean + noise;
                    }
                }
            }
            for (int j = 0; j < x.length; j++) {
                assertThat((double) drawn[j]).as("value %d", j)
                        .isCloseTo(x[j], within(1e-4 * Math.max(1, Math.abs(x[j]))));
            }
        }
    }

    /** The final linear's bias of the head: with the zero-initialized weight, the head's output. */
    private static NDArray finalBias(DiffusionLoss loss) {
        for (Pair<String, Parameter> p : loss.getParameters()) {
            if (p.getKey().contains("final_layer") && p.getKey().endsWith("linear_bias")) {
                return p.getValue().getArray();
            }
        }
        throw new AssertionError("no final linear bias in " + loss.getParameters().keys());
    }

    /** What one training step of the loss draws and computes, recomputed outside it. */
    private record Draws(int[] t, float[] eps, float[] x0, float[] xt, float[] out) {
    }

    private static Draws draws(DiffusionLoss loss, ParameterStore store, NDArray target, NDArray z, StepRandom rng) {
        NoiseSchedule schedule = loss.schedule();
        int rows = Math.toIntExact(target.getShape().get(0));
        NDManager m = target.getManager();
        SplittableRandom steps = rng.generator("diffusion/t");
        int[] t = new int[rows];
        for (int i = 0; i < rows; i++) {
            t[i] = steps.nextInt(schedule.steps());
        }
        float[] eps = rng.normal(m, target.getShape(), "diffusion/eps").toFloatArray();
        float[] x0 = target.toFloatArray();
        float[] xt = new float[x0.length];
        for (int i = 0; i < x0.length; i++) {
            double ab = schedule.alphaBar(t[i / C]);
            xt[i] = (float) (Math.sqrt(ab) * x0[i] + Math.sqrt(1 - ab) * eps[i]);
        }
        float[] out = loss.head().forward(store, new NDList(m.create(xt, new Shape(rows, C)),
                TimestepEmbedder.sinusoid(m, t), z), false).singletonOrThrow().toFloatArray();
        return new Draws(t, eps, x0, xt, out);
    }

    private static double[] slice(float[] v, int row) {
        double[] out = new double[C];
        for (int k = 0; k < C; k++) {
            out[k] = v[row * C + k];
        }
        return out;
    }

    private static double[] noiseHalf(float[] out, int row) {
        double[] e = new double[C];
        for (int k = 0; k < C; k++) {
            e[k] = out[row * 2 * C + k];
        }
        return e;
    }

    private static double[] varianceHalf(float[] out, int row) {
        double[] v = new double[C];
        for (int k = 0; k < C; k++) {
            v[k] = out[row * 2 * C + C + k];
        }
        return v;
    }

    /** The vb term of one row in bits, for t > 0 (DDPM posterior, closed-form KL, channel mean). */
    private static double vbBits(NoiseSchedule s, int t, double[] x0, double[] xt, double[] eps, double[] v) {
        if (t == 0) {
            throw new IllegalArgumentException("the draws hit t = 0; pick another seed");
        }
        double ab = s.alphaBar(t);
        double abPrev = s.alphaBar(t - 1);
        double beta = 1 - ab / abPrev;
        double qVar = beta * (1 - abPrev) / (1 - ab);
        double c0 = beta * Math.sqrt(abPrev) / (1 - ab);
        double ct = (1 - abPrev) * Math.sqrt(1 - beta) / (1 - ab);
        double sum = 0;
        for (int k = 0; k < x0.length; k++) {
            double qMean = c0 * x0[k] + ct * xt[k];
            double pMean = c0 * (xt[k] - Math.sqrt(1 - ab) * eps[k]) / Math.sqrt(ab) + ct * xt[k];
            double frac = (v[k] + 1) / 2;
            double pVar = Math.exp(frac * Math.log(beta) + (1 - frac) * Math.log(qVar));
            sum += 0.5 * Math.log(pVar / qVar) + (qVar + (qMean - pMean) * (qMean - pMean)) / (2 * pVar) - 0.5;
        }
        return sum / x0.length / Math.log(2);
    }

    private static NDArray column(NDManager m, float[] v) {
        return m.create(v, new Shape(v.length, 1));
    }

    /** The standard normal CDF (erf by Abramowitz and Stegun 7.1.26, error below 1.5e-7). */
    private static double phi(double x) {
        double a = Math.abs(x) / Math.sqrt(2);
        double k = 1 / (1 + 0.3275911 * a);
        double erf = 1 - k * (0.254829592 + k * (-0.284496736 + k * (1.421413741 + k * (-1.453152027
                + k * 1.061405429)))) * Math.exp(-a * a);
        return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
    }
}
