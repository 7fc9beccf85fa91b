package lab.d2c.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The criterion on hand-made held-out series: 1000 steps, the window is steps 800..1000. */
class ConvergenceTest {

    private static TreeMap<Long, Double> series(double... values) {
        TreeMap<Long, Double> m = new TreeMap<>();
        for (int i = 0; i < values.length; i++) {
            m.put(100L * (i + 1), values[i]);
        }
        return m;
    }

    @Test
    void aFlatTailHasConverged() {
        // 800 -> 1000: 2.00 -> 1.97, 1.5%
        Convergence c = Convergence.judge(1000, series(4, 3, 2.5, 2.2, 2.1, 2.05, 2.02, 2.0, 1.98, 1.97));
        assertThat(c.converged()).isTrue();
        assertThat(c.improvement()).isCloseTo(0.015, offset(1e-12));
        assertThat(c.fromStep()).isEqualTo(800);
        assertThat(c.toStep()).isEqualTo(1000);
    }

    @Test
    void aFallingTailHasNot() {
        // 800 -> 1000: 2.0 -> 1.9, 5%
        Convergence c = Convergence.judge(1000, series(4, 3, 2.5, 2.3, 2.2, 2.1, 2.05, 2.0, 1.95, 1.9));
        assertThat(c.converged()).isFalse();
        assertThat(c.improvement()).isCloseTo(0.05, offset(1e-12));
    }

    @Test
    void aRisingTailCountsAsConverged() {
        Convergence c = Convergence.judge(1000, series(3, 2, 1.5, 1.4, 1.3, 1.2, 1.1, 1.0, 1.05, 1.1));
        assertThat(c.converged()).isTrue();
        assertThat(c.improvement()).isCloseTo(-0.1, offset(1e-12));
    }

    @Test
    void theBaselineIsTheLastEvaluationBeforeTheWindow() {
        // evaluations at 300, 600, 900 and 1000: the window starts at 800, so the baseline is 600
        TreeMap<Long, Double> m = new TreeMap<>();
        m.put(300L, 3.0);
        m.put(600L, 2.0);
        m.put(900L, 1.99);
        m.put(1000L, 1.9);
        Convergence c = Convergence.judge(1000, m);
        assertThat(c.fromStep()).isEqualTo(600);
        assertThat(c.improvement()).isCloseTo(0.05, offset(1e-12));
        assertThat(c.converged()).isFalse();
    }

    @Test
    void tooFewEvaluationsAreNotJudged() {
        assertThat(Convergence.judge(1000, new TreeMap<>()).converged()).isNull();
        TreeMap<Long, Double> onlyTheEnd = new TreeMap<>();
        onlyTheEnd.put(900L, 1.0);
        onlyTheEnd.put(1000L, 0.9);
        Convergence c = Convergence.judge(1000, onlyTheEnd);
        assertThat(c.converged()).isNull();
        assertThat(c.reason()).contains("800");
        assertThat(c.fields()).containsEntry("converged", null).containsKey("not_judged");
    }
}
