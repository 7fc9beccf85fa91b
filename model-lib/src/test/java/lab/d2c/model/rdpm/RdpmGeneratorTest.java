package lab.d2c.model.rdpm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import lab.d2c.config.rdpm.RdpmSamplingSettings;
import lab.d2c.config.rdpm.RdpmScheduleKind;
import lab.d2c.config.rdpm.RdpmTokenizerConfig;
import lab.d2c.config.stage2.GuidanceSchedule;
import lab.d2c.model.data.ImageGrid;
import org.junit.jupiter.api.Test;

/**
 * RDPM's generation pipeline (arXiv:2412.18390, Algorithm 2): the sampler's codes, decoded by the tokenizer, as uint8
 * pixels; deterministic for (seed, labels) whatever the batch size. Random-init models: the pipeline's wiring, not
 * its quality, is under test.
 */
class RdpmGeneratorTest {

    private static final int[] LABELS = {0, 1, 2, 1, 0};
    private static final long SEED = 11;

    /** Guided (linear lambda 2) with Eq. 8's Gumbel noise: every branch of the sampler runs. */
    private static final RdpmSamplingSettings GUIDED = RdpmSamplingSettings.builder().optGuidanceScale(2.0)
            .optGuidanceSchedule(GuidanceSchedule.LINEAR).optGumbel(true).optTemperature(1.0).build();

    /** RdpmTokenizerTest's 16x16 grey tokenizer (4x4 codes, T = 4) with the predictor fixture's 16 codes of 4. */
    private static RdpmTokenizer tokenizer(NDManager m) {
        return RdpmTokenizerTest.initialized(m, RdpmTokenizerTest.testConfig().withCodebook(RdpmFixtures.K,
                RdpmFixtures.D), 3);
    }

    private static RecurrentTokenPredictor predictor(NDManager m, RdpmTokenizer tokenizer) {
        return RdpmFixtures.randomized(RdpmFixtures.small(), CodeLookup.codebook(tokenizer.codebook(m)), m, 4);
    }

    private static RdpmGenerator generator(RecurrentTokenPredictor model, RdpmTokenizer tokenizer,
            RdpmSamplingSettings settings, int batch) {
        return RdpmGenerator.builder().setModel(model).setTokenizer(tokenizer).setSampling(settings)
                .setBatchSize(batch).build();
    }

    @Test
    void pixelsAndCodesDoNotDependOnTheBatchSizeAndProgressCountsTStepsPerBatch() {
        try (NDManager m = NDManager.newBaseManager()) {
            RdpmTokenizer tokenizer = tokenizer(m);
            RecurrentTokenPredictor model = predictor(m, tokenizer);
            List<int[]> steps = new ArrayList<>();
            int[] decoding = new int[1];
            RdpmGenerator.Result whole = generator(model, tokenizer, GUIDED, 5).generate(m, LABELS, SEED,
                    new RdpmGenerator.Progress() {
                        @Override
                        public void step(int first, int size, int t, int total) {
                            steps.add(new int[] {first, size, t, total});
                        }

                        @Override
                        public void decoding(int images) {
                            decoding[0] = images;
                        }
                    });
            List<int[]> batchSteps = new ArrayList<>();
            RdpmGenerator.Result split = generator(model, tokenizer, GUIDED, 2).generate(m, LABELS, SEED,
                    (first, size, t, total) -> batchSteps.add(new int[] {first, size, t, total}));

            assertThat(split.codes()).containsExactly(whole.codes());
            assertThat(split.pixels()).containsExactly(whole.pixels());
            assertThat(whole.pixels()).hasSize(LABELS.length * 16 * 16);
            assertThat(whole.codes()).hasSize(LABELS.length * RdpmFixtures.STEPS * RdpmFixtures.GRID
                    * RdpmFixtures.GRID);
            assertThat(whole.sampleSeconds()).isPositive();
            // one call per predictor pass: T of them for the one batch, T for each of the three batches of 2, 2, 1
            assertThat(steps).extracting(s -> s[2]).containsExactly(1, 2, 3, 4);
            assertThat(steps).allSatisfy(s -> assertThat(s).containsExactly(0, 5, s[2], 4));
            assertThat(batchSteps).hasSize(3 * RdpmFixtures.STEPS);
            assertThat(batchSteps).extracting(s -> s[0]).containsExactly(0, 0, 0, 0, 2, 2, 2, 2, 4, 4, 4, 4);
            assertThat(decoding[0]).isEqualTo(LABELS.length);
            // another seed, other images
            assertThat(generator(model, tokenizer, GUIDED, 5).generate(m, LABELS, SEED + 1, (f, s, t, n) -> { })
                    .codes()).isNotEqualTo(whole.codes());
        }
    }

    @Test
    void theImagesAreTheTokenizersDecodingOfTheSamplersCodes() {
        try (NDManager m = NDManager.newBaseManager()) {
            RdpmTokenizer tokenizer = tokenizer(m);
            RecurrentTokenPredictor model = predictor(m, tokenizer);
            RdpmGenerator.Result r = generator(model, tokenizer, GUIDED, 3).generate(m, LABELS, SEED,
                    (f, s, t, n) -> { });
            int[] codes = new RdpmSampler(model, model.lookup()).sample(m, LABELS, GUIDED, SEED, 3).codes();
            assertThat(r.codes()).containsExactly(codes);
            float[] decoded = tokenizer.decode(m.create(codes, new Shape(LABELS.length, RdpmFixtures.STEPS,
                    RdpmFixtures.GRID, RdpmFixtures.GRID))).toType(DataType.FLOAT32, false).toFloatArray();
            assertThat(r.pixels()).containsExactly(ImageGrid.toPixels(decoded));
            assertThat(r.channels()).isEqualTo(1);
            assertThat(r.size()).isEqualTo(16);
            // random weights still spread the pixels: the decoder ran, these are not a constant fill
            int lo = 255;
            int hi = 0;
            for (byte p : r.pixels()) {
                lo = Math.min(lo, p & 0xff);
                hi = Math.max(hi, p & 0xff);
            }
            assertThat(hi - lo).isGreaterThan(0);
        }
    }

    @Test
    void withoutGuidanceOrGumbelItIsTheDirectSamplerCall() {
        try (NDManager m = NDManager.newBaseManager()) {
            RdpmTokenizer tokenizer = tokenizer(m);
            RecurrentTokenPredictor model = predictor(m, tokenizer);
            RdpmSamplingSettings plain = RdpmSamplingSettings.builder().build();
            RdpmGenerator.Result r = generator(model, tokenizer, plain, 4).generate(m, LABELS, SEED,
                    (f, s, t, n) -> { });
            RdpmSampler.Samples direct = new RdpmSampler(model, CodeLookup.codebook(tokenizer.codebook(m)))
                    .sample(m, LABELS, plain, SEED, 4);
            assertThat(r.codes()).containsExactly(direct.codes());
            // the argmax pipeline differs from the guided Gumbel one on the same seed
            assertThat(generator(model, tokenizer, GUIDED, 4).generate(m, LABELS, SEED, (f, s, t, n) -> { }).codes())
                    .isNotEqualTo(r.codes());
        }
    }

    @Test
    void refusesATokenizerOfAnotherT() {
        try (NDManager m = NDManager.newBaseManager()) {
            RdpmTokenizer tokenizer = tokenizer(m);
            RecurrentTokenPredictor model = predictor(m, tokenizer);
            RdpmTokenizerConfig other = tokenizer.config().withSteps(3, RdpmScheduleKind.POW, 0.75);
            assertThatThrownBy(() -> generator(model, new RdpmTokenizer(other), GUIDED, 2))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("over 4 steps")
                    .hasMessageContaining("over 3 steps");
        }
    }
}
