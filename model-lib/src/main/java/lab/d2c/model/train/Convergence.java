package lab.d2c.model.train;

import java.util.Map;
import java.util.SortedMap;

/**
 * The stated convergence criterion of a trained generator: the held-out loss improved by less than
 * {@link #THRESHOLD} (relative) over the last {@link #WINDOW} of the steps. The improvement is
 * {@code (a - b) / |a|}, a the last evaluation at or before step {@code round((1 - WINDOW) steps)},
 * b the last evaluation; a loss that rose counts as converged (nothing left to gain at this rate).
 * It is a verdict on a fixed budget: training never stops early on it.
 *
 * @param converged   null when it cannot be judged (no held-out set, or no evaluation before the window)
 * @param improvement (a - b) / |a|; null when not judged
 * @param fromStep    steps done at evaluation a; null when not judged
 * @param toStep      steps done at evaluation b; null when not judged
 * @param reason      why it was not judged; null when it was
 */
public record Convergence(Boolean converged, Double improvement, Long fromStep, Long toStep, String reason) {

    public static final double WINDOW = 0.2;
    public static final double THRESHOLD = 0.02;
    public static final String CRITERION = "held-out loss (val/loss) improved by < 2% (relative) over the last 20% "
            + "of the steps: from the last evaluation at or before 80% of the steps to the final one";

    /**
     * @param steps      the run's budget of steps
     * @param evaluations steps done (1-based) to the held-out loss after them
     */
    public static Convergence judge(long steps, SortedMap<Long, Double> evaluations) {
        if (evaluations.isEmpty()) {
            return new Convergence(null, null, null, null, "no held-out loss was measured");
        }
        long windowStart = Math.round((1 - WINDOW) * steps);
        SortedMap<Long, Double> before = evaluations.headMap(windowStart + 1);
        if (before.isEmpty()) {
            return new Convergence(null, null, null, null,
                    "no held-out evaluation at or before step " + windowStart + " (eval_every too large)");
        }
        long from = before.lastKey();
        long to = evaluations.lastKey();
        if (to <= from) {
            return new Convergence(null, null, null, null, "no held-out evaluation after step " + windowStart);
        }
        double a = before.get(from);
        double b = evaluations.get(to);
        double improvement = (a - b) / Math.abs(a);
        return new Convergence(improvement < THRESHOLD, improvement, from, to, null);
    }

    /** The verdict as node-result fields. */
    public Map<String, Object> fields() {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("converged", converged);
        m.put("criterion", CRITERION);
        m.put("improvement", improvement);
        m.put("improvement_from_step", fromStep);
        m.put("improvement_to_step", toStep);
        if (reason != null) {
            m.put("not_judged", reason);
        }
        return m;
    }
}
