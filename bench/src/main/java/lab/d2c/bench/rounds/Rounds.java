package lab.d2c.bench.rounds;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How a sampling benchmark spreads its arms over rounds. On a shared 2-core VM a neighbour's load or the allocator's
 * state moved single-run ratios by a third between runs; timing every arm once per round, in an order that rotates so
 * no arm always runs first or last, and comparing arms within the same round, keeps slow spells from landing on one
 * arm only. The ratio of two arms is taken per round (both timed under the same conditions) and then summarized,
 * rather than dividing the two medians, which may come from different rounds.
 */
public final class Rounds {

    private Rounds() {
    }

    /**
     * The order in which round {@code round} (0-based) times arms {@code 0 .. arms-1}: the arms rotated left by the
     * round, so each arm runs first in one of every {@code arms} rounds and the pairs' relative order alternates.
     */
    public static List<Integer> order(int round, int arms) {
        if (round < 0 || arms < 1) {
            throw new IllegalArgumentException("round " + round + ", arms " + arms);
        }
        List<Integer> order = new ArrayList<>(arms);
        for (int i = 0; i < arms; i++) {
            order.add((round + i) % arms);
        }
        return order;
    }

    /** The median and range of one figure's per-round values (at least one). */
    public static Spread spread(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no rounds");
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return new Spread(median, sorted[0], sorted[n - 1], n);
    }

    /** Per round, {@code numerator[r] / denominator[r]}: a ratio of two arms timed in the same round. */
    public static double[] ratios(double[] numerator, double[] denominator) {
        if (numerator.length != denominator.length) {
            throw new IllegalArgumentException(numerator.length + " against " + denominator.length + " rounds");
        }
        double[] ratios = new double[numerator.length];
        for (int r = 0; r < ratios.length; r++) {
            ratios[r] = numerator[r] / denominator[r];
        }
        return ratios;
    }
}
