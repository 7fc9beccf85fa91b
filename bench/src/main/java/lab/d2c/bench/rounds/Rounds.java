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

    /**
     * Like {@link #order(int, int)}, but arms {@code first} and {@code second}, whose ratio the benchmark reports, are
     * always timed back to back, as one unit of the rotation, in an order that alternates by round. On the 2-core VM a
     * slow spell (every libtorch arm 2-2.7x slower for the rest of the run) began at a random point of a run; with the
     * two arms minutes apart in the rotation, a round in which it began between them gave a ratio of 6-7x against
     * 3-3.6x in the others (BENCHMARKS.md, section 2). Back to back, a spell starts between them only during the
     * shorter of the two timings' gap, which is none.
     */
    public static List<Integer> pairedOrder(int round, int arms, int first, int second) {
        if (first == second || first < 0 || second < 0 || first >= arms || second >= arms) {
            throw new IllegalArgumentException("pair " + first + ", " + second + " of " + arms + " arms");
        }
        // the units: the pair at the place of its lower index, every other arm on its own
        List<Integer> units = new ArrayList<>();
        for (int i = 0; i < arms; i++) {
            if (i != Math.max(first, second)) {
                units.add(i);
            }
        }
        int pairUnit = units.indexOf(Math.min(first, second));
        List<Integer> order = new ArrayList<>(arms);
        for (int u : order(round, units.size())) {
            if (u == pairUnit) {
                boolean swap = round % 2 == 1;
                order.add(swap ? second : first);
                order.add(swap ? first : second);
            } else {
                order.add(units.get(u));
            }
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
