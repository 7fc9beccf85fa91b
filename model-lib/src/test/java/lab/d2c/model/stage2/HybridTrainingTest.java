package lab.d2c.model.stage2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import lab.d2c.config.stage2.FusionKind;
import lab.d2c.config.stage2.GuidanceSchedule;
import lab.d2c.config.stage2.HybridConfig;
import lab.d2c.config.stage2.HybridSamplingSettings;
import lab.d2c.model.train.BatchSource;
import lab.d2c.model.train.TrainConfig;
import lab.d2c.model.train.TrainingLoop;
import org.junit.jupiter.api.Test;

/** Stage two through the shared loop: it memorizes three images and samples them back; resume is exact. */
class HybridTrainingTest {

    private static final int N = HybridFixtures.GRID * HybridFixtures.GRID;
    private static final int C = HybridFixtures.CHANNELS;

    /** Image k (class k): tokens from N(0, 1) and discrete ids, both drawn from a generator seeded by k. */
    static final float[][] TOKENS = new float[3][N * C];
    static final int[][] IDS = new int[3][N];

    static {
        for (int k = 0; k < 3; k++) {
            SplittableRandom r = new SplittableRandom(100 + k);
            for (int i = 0; i < N * C; i++) {
                TOKENS[k][i] = (float) (r.nextGaussian());
            }
            for (int p = 0; p < N; p++) {
                IDS[k][p] = r.nextInt(HybridFixtures.VOCAB);
            }
        }
    }

    static final BatchSource THREE = new BatchSource() {
        @Override
        public int size() {
            return 3;
        }

        @Override
        public NDList batch(NDManager manager, int[] indices) {
            float[] t = new float[indices.length * N * C];
            int[] ids = new int[indices.length * N];
            int[] labels = new int[indices.length];
            for (int i = 0; i < indices.length; i++) {
                System.arraycopy(TOKENS[indices[i]], 0, t, i * N * C, N * C);
                System.arraycopy(IDS[indices[i]], 0, ids, i * N, N);
                labels[i] = indices[i];
            }
            return new NDList(manager.create(t, new Shape(indices.length, N, C)),
                    manager.create(ids, new Shape(indices.length, N)), manager.create(labels));
        }
    };

    private static TrainConfig config(long steps, long checkpointEvery) {
        return TrainConfig.builder().setSteps(steps).setBatchSize(3).setLr(2e-3).setSeed(4).optWarmupSteps(20)
                .optClipNorm(1.0).optCheckpointEvery(checkpointEvery).build();
    }

    @Test
    void aTinyModelOverfitsThreeImagesAndSamplesThemBack() throws IOException {
        HybridModel model = new HybridModel(HybridFixtures.small(FusionKind.Q_FORMER, 4).withDropout(0, 0, 0, 0));
        try (TrainingLoop loop = TrainingLoop.builder().setModel(model).setData(THREE).setConfig(config(400, 0))
                .build()) {
            float[] losses = loop.run().losses();
            double first = mean(losses, 0, 10);
            double last = mean(losses, losses.length - 40, losses.length);
            System.out.printf("stage-two overfit: loss %.4f -> %.4f%n", first, last);
            // the zero-initialized head starts at E[eps^2] = 1 per channel
            assertThat(first).isCloseTo(1.0, within(0.15));
            assertThat(last).isLessThan(first / 4);

            HybridSampler sampler = new HybridSampler(model);
            HybridSamplingSettings plain = new HybridSamplingSettings(4, 1.0, GuidanceSchedule.LINEAR, 1.0, 0);
            float[] drawn = sampler.sample(loop.manager(), new int[] {0, 1, 2}, IDS, plain, 7, 0, null)
                    .toFloatArray();
            for (int k = 0; k < 3; k++) {
                double[] distance = new double[3];
                for (int j = 0; j < 3; j++) {
                    for (int i = 0; i < N * C; i++) {
                        double d = drawn[k * N * C + i] - TOKENS[j][i];
                        distance[j] += d * d / (N * C);
                    }
                }
                System.out.printf("sample %d: mean squared distance to the images %s%n", k, Arrays.toString(distance));
                assertThat(distance[k]).as("sample %d is nearest its own image", k)
                        .isLessThan(Math.min(distance[(k + 1) % 3], distance[(k + 2) % 3]) / 2);
            }

            // determinism, and a sample does not depend on the batch it was drawn in
            HybridSamplingSettings guided = new HybridSamplingSettings(3, 2.0, GuidanceSchedule.LINEAR, 1.0, 0);
            float[] batch = sampler.sample(loop.manager(), new int[] {0, 1, 2}, IDS, guided, 9, 0, null).toFloatArray();
            float[] again = sampler.sample(loop.manager(), new int[] {0, 1, 2}, IDS, guided, 9, 0, null).toFloatArray();
            assertThat(again).containsExactly(batch);
            float[] alone = sampler.sample(loop.manager(), new int[] {1}, new int[][] {IDS[1]}, guided, 9, 1, null)
                    .toFloatArray();
            float[] middle = Arrays.copyOfRange(batch, N * C, 2 * N * C);
            for (int i = 0; i < alone.length; i++) {
                assertThat(alone[i]).isCloseTo(middle[i], within(1e-4f));
            }
        }
    }

    @Test
    void aResumedRunMatchesAnUninterruptedOneWithDropoutOn() throws IOException {
        HybridConfig withDropout = HybridFixtures.small(FusionKind.CROSS_ATTENTION, 4).withDropout(0.3, 0.3, 0.1, 0.1);
        Map<Long, byte[]> checkpoints = new TreeMap<>();
        float[] straight;
        List<float[]> straightWeights;
        HybridModel first = new HybridModel(withDropout);
        try (TrainingLoop loop = TrainingLoop.builder().setModel(first).setData(THREE).setConfig(config(10, 5))
                .optCheckpointSink((step, writer) -> {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    writer.writeTo(out);
                    checkpoints.put(step, out.toByteArray());
                }).build()) {
            straight = loop.run().losses();
            straightWeights = weights(first);
        }
        // the same seed again gives the same numbers
        try (TrainingLoop again = TrainingLoop.builder().setModel(new HybridModel(withDropout)).setData(THREE)
                .setConfig(config(10, 0)).build()) {
            assertThat(again.run().losses()).containsExactly(straight);
        }
        HybridModel second = new HybridModel(withDropout);
        try (TrainingLoop resumed = TrainingLoop.builder().setModel(second).setData(THREE).setConfig(config(10, 0))
                .optResumeFrom(new ByteArrayInputStream(checkpoints.get(5L))).build()) {
            assertThat(resumed.run().losses()).containsExactly(Arrays.copyOfRange(straight, 5, 10));
            List<float[]> resumedWeights = weights(second);
            for (int i = 0; i < straightWeights.size(); i++) {
                assertThat(resumedWeights.get(i)).containsExactly(straightWeights.get(i));
            }
        }
    }

    private static List<float[]> weights(HybridModel model) {
        List<float[]> out = new ArrayList<>();
        for (Pair<String, Parameter> p : model.getParameters()) {
            out.add(p.getValue().getArray().toFloatArray());
        }
        return out;
    }

    private static double mean(float[] v, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += v[i];
        }
        return s / (to - from);
    }
}
