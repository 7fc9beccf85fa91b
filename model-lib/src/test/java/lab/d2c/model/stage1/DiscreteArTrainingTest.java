package lab.d2c.model.stage1;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import lab.d2c.config.stage1.DiscreteArConfig;
import lab.d2c.config.stage1.SamplingSettings;
import lab.d2c.model.train.TrainConfig;
import lab.d2c.model.train.TrainingLoop;
import lab.d2c.model.train.TrainingResult;
import org.junit.jupiter.api.Test;

/** Stage one through the shared training loop: it memorizes a handful of sequences, and dropout resumes exactly. */
class DiscreteArTrainingTest {

    /** Four sequences of 16 tokens, one per class. */
    private static final TokenSequences FOUR = new TokenSequences(ArFixtures.randomIds(4 * 16, 16, 11),
            new int[] {0, 1, 2, 3}, 16);

    private static TrainConfig config(long steps, long checkpointEvery) {
        return TrainConfig.builder().setSteps(steps).setBatchSize(4).setLr(3e-3).setSeed(3).optWarmupSteps(10)
                .optClipNorm(1.0).optCheckpointEvery(checkpointEvery).build();
    }

    @Test
    void aTinyModelOverfitsAHandfulOfSequencesAndSamplesThemBack() throws IOException {
        DiscreteArModel model = new DiscreteArModel(ArFixtures.small());
        try (TrainingLoop loop = TrainingLoop.builder().setModel(model).setData(FOUR).setConfig(config(150, 0)).build()) {
            TrainingResult r = loop.run();
            float[] losses = r.losses();
            // the zero-initialized output layer starts at ln(16) = 2.77 nats per token
            assertThat(losses[0]).isBetween(2.7f, 2.85f);
            assertThat(losses[losses.length - 1]).isLessThan(losses[0] / 20);
            int[][] greedy = new ArSampler(model).sample(loop.manager(), new int[] {0, 1, 2, 3},
                    SamplingSettings.plain().withFiltering(1, 1.0), 0, 4, true, null);
            for (int c = 0; c < 4; c++) {
                assertThat(greedy[c]).as("class %d", c).containsExactly(FOUR.sequence(c));
            }
        }
    }

    @Test
    void withDropoutAResumedRunMatchesAnUninterruptedOne() throws IOException {
        DiscreteArConfig withDropout = ArFixtures.small().withDropout(0.1, 0.1, 0.1, 0.1);
        Map<Long, byte[]> checkpoints = new TreeMap<>();
        float[] straight;
        float[] straightWeights;
        DiscreteArModel first = new DiscreteArModel(withDropout);
        try (TrainingLoop loop = TrainingLoop.builder().setModel(first).setData(FOUR)
                .setConfig(config(12, 6)).optCheckpointSink((step, writer) -> {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    writer.writeTo(out);
                    checkpoints.put(step, out.toByteArray());
                }).build()) {
            straight = loop.run().losses();
            straightWeights = weights(first);
        }
        // the same seed again gives the same numbers (the dropout masks come from seeded draws)
        try (TrainingLoop again = TrainingLoop.builder().setModel(new DiscreteArModel(withDropout)).setData(FOUR)
                .setConfig(config(12, 0)).build()) {
            assertThat(again.run().losses()).containsExactly(straight);
        }
        assertThat(checkpoints).containsKey(6L);
        DiscreteArModel second = new DiscreteArModel(withDropout);
        try (TrainingLoop resumed = TrainingLoop.builder().setModel(second).setData(FOUR)
                .setConfig(config(12, 0)).optResumeFrom(new ByteArrayInputStream(checkpoints.get(6L))).build()) {
            float[] tail = resumed.run().losses();
            float[] expected = java.util.Arrays.copyOfRange(straight, 6, 12);
            assertThat(tail).containsExactly(expected);
            assertThat(weights(second)).containsExactly(straightWeights);
        }
        // and dropout is really on: without it the losses differ
        try (TrainingLoop plain = TrainingLoop.builder().setModel(new DiscreteArModel(ArFixtures.small())).setData(FOUR)
                .setConfig(config(12, 0)).build()) {
            assertThat(plain.run().losses()).isNotEqualTo(straight);
        }
    }

    private static float[] weights(DiscreteArModel model) {
        List<Float> all = new ArrayList<>();
        for (var p : model.getParameters()) {
            for (float f : p.getValue().getArray().toFloatArray()) {
                all.add(f);
            }
        }
        float[] out = new float[all.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = all.get(i);
        }
        return out;
    }
}
