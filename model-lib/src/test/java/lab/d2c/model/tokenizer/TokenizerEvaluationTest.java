package lab.d2c.model.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import lab.d2c.model.data.ImageBatches;
import lab.d2c.model.data.ShapesDataset;
import org.junit.jupiter.api.Test;

class TokenizerEvaluationTest {

    private final ImageBatches data = new ImageBatches(ShapesDataset.generate(5, 16, 1, 3, 11));

    @Test
    void vqFiguresMatchADirectComputationWhateverTheBatchSize() {
        try (NDManager m = NDManager.newBaseManager()) {
            VqTokenizer model = VqTokenizerTest.initialized(m, VqTokenizerTest.testConfig(), 5);
            NDArray x = data.images(m, 0, 5);
            NDArray ids = model.encodeIds(x);
            double mse = model.decodeIds(ids).clip(-1f, 1f).sub(x).square().mean().getFloat();
            long distinct = Arrays.stream(ids.toIntArray()).distinct().count();

            TokenizerEvaluation.VqReport r = TokenizerEvaluation.vq(model, data, 2, m);
            assertThat(r.images()).isEqualTo(5);
            assertThat(r.mse()).isCloseTo(mse, within(1e-6));
            assertThat(r.psnr()).isCloseTo(10 * Math.log10(4 / mse), within(1e-3));
            assertThat(r.usage()).isEqualTo(distinct / 64.0);
            long[] counts = CodeUsage.histogram(Arrays.stream(ids.toIntArray()).asLongStream().toArray(), 64);
            assertThat(r.perplexity()).isCloseTo(CodeUsage.perplexity(counts), within(1e-9));

            TokenizerEvaluation.VqReport whole = TokenizerEvaluation.vq(model, data, 5, m);
            assertThat(whole.mse()).isCloseTo(r.mse(), within(1e-6));
            assertThat(whole.usage()).isEqualTo(r.usage());
        }
    }

    @Test
    void vaeFiguresMatchADirectComputation() {
        try (NDManager m = NDManager.newBaseManager()) {
            KlVae model = KlVaeTest.initialized(m, KlVaeTest.testConfig(), 6);
            NDArray x = data.images(m, 0, 5);
            DiagonalGaussian q = model.encode(x);
            double mse = model.decode(q.mean()).clip(-1f, 1f).sub(x).square().mean().getFloat();
            double kl = q.kl().mean().getFloat();

            TokenizerEvaluation.VaeReport r = TokenizerEvaluation.vae(model, data, 3, m);
            assertThat(r.mse()).isCloseTo(mse, within(1e-6));
            assertThat(r.psnr()).isCloseTo(10 * Math.log10(4 / mse), within(1e-3));
            assertThat(r.kl()).isCloseTo(kl, within(1e-3 * Math.max(1, kl)));
        }
    }
}
