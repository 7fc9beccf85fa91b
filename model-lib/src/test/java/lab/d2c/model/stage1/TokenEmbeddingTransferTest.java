package lab.d2c.model.stage1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import lab.d2c.model.nn.TokenEmbedding;
import lab.d2c.model.train.TrainConfig;
import lab.d2c.model.train.TrainingLoop;
import org.junit.jupiter.api.Test;

/**
 * Stage two starts its discrete embedding from stage one's table and freezes it (paper section
 * 5.1): the copied table is exact, and training leaves a frozen table untouched while the rest learns.
 */
class TokenEmbeddingTransferTest {

    private static final TokenSequences DATA = new TokenSequences(ArFixtures.randomIds(8 * 16, 16, 4),
            new int[] {0, 1, 2, 3, 0, 1, 2, 3}, 16);

    @Test
    void aCopiedAndFrozenTableStaysFixedWhileTheRestTrains() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] stageOne = ArFixtures.randomized(ArFixtures.small(), m, 9).tokenEmbedding().table(m).toFloatArray();

            DiscreteArModel next = new DiscreteArModel(ArFixtures.small());
            next.initialize(m, DataType.FLOAT32, next.initShapes());
            next.tokenEmbedding().copyFrom(stageOne);
            next.tokenEmbedding().freeze();
            assertThat(next.tokenEmbedding().table(m).toFloatArray()).containsExactly(stageOne);
            float[] classesBefore = classTable(next);

            TrainConfig config = TrainConfig.builder().setSteps(5).setBatchSize(4).setLr(1e-2).setSeed(1).build();
            try (TrainingLoop loop = TrainingLoop.builder().setModel(next).setData(DATA).setConfig(config)
                    .optManager(m).build()) {
                loop.run();
            }
            assertThat(next.tokenEmbedding().table(m).toFloatArray()).containsExactly(stageOne);
            assertThat(classTable(next)).isNotEqualTo(classesBefore);
        }
    }

    @Test
    void aTableOfTheWrongSizeIsRefused() {
        try (NDManager m = NDManager.newBaseManager()) {
            TokenEmbedding e = new TokenEmbedding(4, 3, 0.02f);
            e.initialize(m, DataType.FLOAT32, new ai.djl.ndarray.types.Shape(1, 2));
            assertThatThrownBy(() -> e.copyFrom(new float[11])).hasMessageContaining("expected 4 x 3 = 12 values");
        }
    }

    private static float[] classTable(DiscreteArModel model) {
        for (var p : model.getParameters()) {
            if (p.getKey().contains("cls_embedding")) {
                return p.getValue().getArray().toFloatArray();
            }
        }
        throw new AssertionError("no class table");
    }
}
