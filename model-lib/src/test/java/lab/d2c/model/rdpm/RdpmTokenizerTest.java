package lab.d2c.model.rdpm;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import lab.d2c.config.rdpm.RdpmScheduleKind;
import lab.d2c.config.rdpm.RdpmTokenizerConfig;
import lab.d2c.model.data.ImageBatches;
import lab.d2c.model.data.ShapesDataset;
import lab.d2c.model.tokenizer.ReconstructionMetrics;
import lab.d2c.model.train.StepLoss;
import lab.d2c.model.train.StepRandom;
import lab.d2c.model.train.StepReport;
import lab.d2c.model.train.TrainConfig;
import lab.d2c.model.train.TrainingListener;
import lab.d2c.model.train.TrainingLoop;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** RDPM's tokenizer (arXiv:2412.18390, section 3.1): codes and back, it learns, it resumes exactly. */
class RdpmTokenizerTest {

    /** Narrower than tiny for speed: 16x16 grey, stride 4 (4x4 tokens), widths 8/16/16, 64 codes of 4, T = 4. */
    static RdpmTokenizerConfig testConfig() {
        return RdpmTokenizerConfig.tiny().withImage(16, 1).withWidths(8, List.of(1, 2, 2), 1, 16).withCodebook(64, 4)
                .withSteps(4, RdpmScheduleKind.POW, 0.75);
    }

    /** A handful of Fashion-MNIST-sized shapes (16x16 grey, 4 classes). */
    private static final ImageBatches DATA = new ImageBatches(ShapesDataset.generate(16, 16, 1, 4, 3));
    private static final ImageBatches DATA32 = new ImageBatches(ShapesDataset.generate(2, 32, 1, 4, 1));

    static RdpmTokenizer initialized(NDManager m, RdpmTokenizerConfig config, long seed) {
        Engine.getInstance().setRandomSeed((int) seed);
        RdpmTokenizer model = new RdpmTokenizer(config);
        model.block().initialize(m, DataType.FLOAT32, model.initShapes());
        return model;
    }

    @Test
    void tinyPresetTurns32x32ImagesIntoTenCodeMapsOf8x8AndBack() {
        try (NDManager m = NDManager.newBaseManager()) {
            RdpmTokenizer model = initialized(m, RdpmTokenizerConfig.tiny(), 1);
            NDArray images = DATA32.images(m, 0, 2);
            NDArray noise = new StepRandom(1, 0).normal(m, model.noiseShape(2), "test");
            assertThat(noise.getShape()).isEqualTo(new Shape(2, 10, 8, 8, 8));
            NDArray codes = model.encode(images, noise);
            assertThat(codes.getShape()).isEqualTo(new Shape(2, 10, 8, 8));
            assertThat(codes.getDataType()).isEqualTo(DataType.INT32);
            assertThat(codes.getManager()).isSameAs(m);
            assertThat(Arrays.stream(codes.toIntArray()).allMatch(i -> i >= 0 && i < 256)).isTrue();
            NDArray back = model.decode(codes);
            assertThat(back.getShape()).isEqualTo(new Shape(2, 1, 32, 32));
            assertThat(model.quantizedVectors(codes).getShape()).isEqualTo(new Shape(2, 10, 8, 8, 8));
            assertThat(model.codebook(m).getShape()).isEqualTo(new Shape(256, 8));
        }
    }

    @Test
    void decodingTheCodesGivesTheForwardPasssReconstruction() {
        try (NDManager m = NDManager.newBaseManager()) {
            for (boolean bias : new boolean[] {true, false}) {
                RdpmTokenizer model = initialized(m, testConfig().withAblation(true, bias), 2);
                NDArray images = DATA.images(m, 0, 4);
                NDArray noise = new StepRandom(5, 3).normal(m, model.noiseShape(4), "test");
                NDList out = model.forward(new ParameterStore(m, false), new NDList(images, noise), false);
                NDArray codes = model.encode(images, noise);
                assertThat(codes.toType(DataType.INT64, false).toLongArray()).containsExactly(out.get(1).toLongArray());
                assertThat(model.decode(codes).toFloatArray()).as("bias %s", bias)
                        .containsExactly(out.get(0).toFloatArray());
                // other noise, other codes (the noise is part of the tokenization, Algorithm 1)
                NDArray other = new StepRandom(5, 4).normal(m, model.noiseShape(4), "test");
                assertThat(model.encode(images, other).toIntArray()).isNotEqualTo(codes.toIntArray());
            }
        }
    }

    @Test
    void reportsTheNamedMetrics() {
        try (NDManager m = NDManager.newBaseManager(); NDManager step = m.newSubManager()) {
            RdpmTokenizer model = initialized(m, testConfig(), 3);
            StepLoss loss = model.loss(step, new NDList(DATA.images(m, 0, 4)), new StepRandom(0, 0));
            assertThat(loss.metrics()).containsOnlyKeys("mse", "psnr", "codebook_loss", "commitment_loss", "perplexity");
            double mse = loss.metrics().get("mse").getFloat();
            assertThat((double) loss.metrics().get("psnr").getFloat())
                    .isCloseTo(ReconstructionMetrics.psnr(mse), Offset.offset(1e-3));
            double quant = loss.metrics().get("codebook_loss").getFloat();
            double commitment = loss.metrics().get("commitment_loss").getFloat();
            assertThat(commitment).isCloseTo(0.25 * quant, Offset.offset(1e-5 * quant));
            assertThat((double) loss.loss().getFloat()).isCloseTo(mse + quant + commitment, Offset.offset(1e-4));
            assertThat(loss.metrics().get("perplexity").getFloat()).isBetween(1f, 64f);
        }
    }

    private static TrainConfig config(long steps, long checkpointEvery) {
        return TrainConfig.builder().setSteps(steps).setBatchSize(8).setLr(2e-3).setSeed(7).optWarmupSteps(5)
                .optClipNorm(1.0).optCheckpointEvery(checkpointEvery).build();
    }

    @Test
    void aTinyTokenizersReconstructionErrorFallsThreefoldIn30Steps() throws IOException {
        RdpmTokenizer model = new RdpmTokenizer(testConfig());
        List<Double> mse = new ArrayList<>();
        long start = System.nanoTime();
        try (TrainingLoop loop = TrainingLoop.builder().setModel(model).setData(DATA).setConfig(config(30, 0))
                .optListener(new TrainingListener() {
                    @Override
                    public void onStep(StepReport report) {
                        mse.add(report.metrics().get("mse"));
                    }
                }).build()) {
            loop.run();
        }
        double first = mean(mse, 0, 5);
        double last = mean(mse, 25, 30);
        System.out.printf("RDPM tokenizer: mse %.4f -> %.4f in 30 steps, %.1f s%n", first, last,
                (System.nanoTime() - start) / 1e9);
        // measured 1.02 -> 0.17 (6x) on 2 cores; 80 steps reach 0.09
        assertThat(last).isLessThan(first / 3);
    }

    @Test
    void aResumedRunMatchesAnUninterruptedOne() throws IOException {
        Map<Long, byte[]> checkpoints = new TreeMap<>();
        float[] straight;
        float[] straightWeights;
        RdpmTokenizer first = new RdpmTokenizer(testConfig());
        try (TrainingLoop loop = TrainingLoop.builder().setModel(first).setData(DATA).setConfig(config(6, 3))
                .optCheckpointSink((step, writer) -> {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    writer.writeTo(out);
                    checkpoints.put(step, out.toByteArray());
                }).build()) {
            straight = loop.run().losses();
            straightWeights = weights(first);
        }
        assertThat(checkpoints).containsKey(3L);
        RdpmTokenizer second = new RdpmTokenizer(testConfig());
        try (TrainingLoop resumed = TrainingLoop.builder().setModel(second).setData(DATA).setConfig(config(6, 0))
                .optResumeFrom(new ByteArrayInputStream(checkpoints.get(3L))).build()) {
            assertThat(resumed.run().losses()).containsExactly(Arrays.copyOfRange(straight, 3, 6));
            assertThat(weights(second)).containsExactly(straightWeights);
        }
    }

    private static float[] weights(RdpmTokenizer model) {
        List<float[]> all = new ArrayList<>();
        int n = 0;
        for (var p : model.getParameters()) {
            float[] v = p.getValue().getArray().toFloatArray();
            all.add(v);
            n += v.length;
        }
        float[] out = new float[n];
        int i = 0;
        for (float[] v : all) {
            System.arraycopy(v, 0, out, i, v.length);
            i += v.length;
        }
        return out;
    }

    private static double mean(List<Double> v, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += v.get(i);
        }
        return s / (to - from);
    }
}
