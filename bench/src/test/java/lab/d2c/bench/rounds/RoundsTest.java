package lab.d2c.bench.rounds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The rounds' order, median, range and per-round ratio on hand-made timings. */
class RoundsTest {

    @Test
    void everyRoundTimesEveryArmOnceAndEachArmLeadsInTurn() {
        assertThat(Rounds.order(0, 3)).containsExactly(0, 1, 2);
        assertThat(Rounds.order(1, 3)).containsExactly(1, 2, 0);
        assertThat(Rounds.order(2, 3)).containsExactly(2, 0, 1);
        assertThat(Rounds.order(3, 3)).containsExactly(0, 1, 2);
        // two arms alternate, so neither always runs first
        assertThat(Rounds.order(0, 2)).containsExactly(0, 1);
        assertThat(Rounds.order(1, 2)).containsExactly(1, 0);
        assertThat(Rounds.order(4, 1)).isEqualTo(List.of(0));
    }

    @Test
    void aPairIsTimedBackToBackInAlternatingOrderAndRotatesAsOneUnit() {
        // arms 0..4, the pair 1 and 3: units [0, (1,3), 2, 4]
        assertThat(Rounds.pairedOrder(0, 5, 1, 3)).containsExactly(0, 1, 3, 2, 4);
        assertThat(Rounds.pairedOrder(1, 5, 1, 3)).containsExactly(3, 1, 2, 4, 0);
        assertThat(Rounds.pairedOrder(2, 5, 1, 3)).containsExactly(2, 4, 0, 1, 3);
        assertThat(Rounds.pairedOrder(3, 5, 1, 3)).containsExactly(4, 0, 3, 1, 2);
        for (int round = 0; round < 8; round++) {
            List<Integer> order = Rounds.pairedOrder(round, 7, 4, 1);
            assertThat(order).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6);
            int a = order.indexOf(4);
            int b = order.indexOf(1);
            assertThat(Math.abs(a - b)).as("round %d: back to back", round).isEqualTo(1);
            assertThat(a < b).as("round %d: the pair's order alternates", round).isEqualTo(round % 2 == 0);
        }
        assertThatThrownBy(() -> Rounds.pairedOrder(0, 3, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Rounds.pairedOrder(0, 3, 1, 3)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void medianAndRangeOfOddAndEvenRounds() {
        Spread odd = Rounds.spread(new double[] {5, 1, 4, 2, 3});
        assertThat(odd).isEqualTo(new Spread(3, 1, 5, 5));
        assertThat(odd.relativeRange()).isCloseTo(4.0 / 3, within(1e-12));
        // even: the mean of the two middle values, not the upper one
        assertThat(Rounds.spread(new double[] {10, 2, 4, 8})).isEqualTo(new Spread(6, 2, 10, 4));
        assertThat(Rounds.spread(new double[] {7})).isEqualTo(new Spread(7, 7, 7, 1));
        assertThatThrownBy(() -> Rounds.spread(new double[0])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ratioIsTakenWithinEachRoundNotBetweenMedians() {
        // a slow spell in round 2 slows both arms; per round the ratio stays 3
        double[] mar = {6, 12, 6.3};
        double[] d2c = {2, 4, 2.1};
        double[] ratios = Rounds.ratios(mar, d2c);
        assertThat(ratios).containsExactly(new double[] {3, 3, 3}, within(1e-12));
        assertThat(Rounds.spread(ratios).median()).isCloseTo(3, within(1e-12));
        // the medians' ratio would be 6.3 / 2.1 only by luck of the draw: here it is also 3, but with d2c's slow
        // spell in another round than MAR's it would not be
        double[] ratiosShifted = Rounds.ratios(new double[] {6, 12, 6}, new double[] {4, 2, 2});
        assertThat(ratiosShifted).containsExactly(new double[] {1.5, 6, 3}, within(1e-12));
        assertThatThrownBy(() -> Rounds.ratios(new double[2], new double[3]))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
