package lab.d2c.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DataOrderTest {

    @Test
    void aPermutationDeterminedBySeedAndEpoch() {
        int[] a = DataOrder.permutation(5, 0, 100);
        assertThat(Arrays.stream(a).sorted().toArray()).isEqualTo(IntStream.range(0, 100).toArray());
        assertThat(DataOrder.permutation(5, 0, 100)).isEqualTo(a);
        assertThat(DataOrder.permutation(5, 1, 100)).isNotEqualTo(a);
        assertThat(DataOrder.permutation(6, 0, 100)).isNotEqualTo(a);
        assertThat(a).isNotEqualTo(IntStream.range(0, 100).toArray());
        assertThat(DataOrder.permutation(1, 0, 0)).isEmpty();
    }

    @Test
    void cursorAdvancesByBatchAndDropsThePartialTail() {
        DataCursor c = DataCursor.START;
        c = c.advance(4, 10);
        assertThat(c).isEqualTo(new DataCursor(0, 4));
        c = c.advance(4, 10);
        // 2 items left: too few for a batch, so the next batch starts the next epoch.
        assertThat(c).isEqualTo(new DataCursor(1, 0));
        assertThat(new DataCursor(0, 8).aligned(4, 10)).isEqualTo(new DataCursor(1, 0));
        assertThat(DataCursor.START.advance(5, 10)).isEqualTo(new DataCursor(0, 5));
        assertThat(new DataCursor(0, 5).advance(5, 10)).isEqualTo(new DataCursor(1, 0));
    }

    @Test
    void batchesOfAnEpochCoverDistinctItems() {
        DataCursor c = DataCursor.START;
        int[] seen = new int[0];
        for (int i = 0; i < 3; i++) {
            int[] b = DataOrder.batch(9, c, 3, 10);
            seen = IntStream.concat(Arrays.stream(seen), Arrays.stream(b)).toArray();
            c = c.advance(3, 10);
        }
        assertThat(Arrays.stream(seen).distinct().count()).isEqualTo(9);
        assertThat(c).isEqualTo(new DataCursor(1, 0));
    }

    @Test
    void refusesBatchesLargerThanTheData() {
        assertThatThrownBy(() -> DataCursor.START.advance(11, 10)).hasMessageContaining("does not fit");
    }
}
