package lab.d2c.model.rdpm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import lab.d2c.config.rdpm.RdpmScheduleKind;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** RDPM's three variance schedules (arXiv:2412.18390, section 4.3) against their closed forms. */
class RdpmScheduleTest {

    private static final Offset<Double> EXACT = Offset.offset(1e-15);

    @Test
    void eachScheduleIsItsClosedFormAndEndsAtOne() {
        for (int steps : new int[] {1, 6, 10, 20}) {
            RdpmSchedule sin = RdpmSchedule.of(RdpmScheduleKind.SIN, steps, 0.5);
            RdpmSchedule linear = RdpmSchedule.of(RdpmScheduleKind.LINEAR, steps, 0.5);
            RdpmSchedule pow = RdpmSchedule.of(RdpmScheduleKind.POW, steps, 0.75);
            for (int t = 1; t <= steps; t++) {
                assertThat(sin.alpha(t)).as("sin T=%d t=%d", steps, t).isCloseTo(Math.sin(Math.PI / 2 * t / steps), EXACT);
                assertThat(linear.alpha(t)).as("linear T=%d t=%d", steps, t).isCloseTo((double) t / steps, EXACT);
                assertThat(pow.alpha(t)).as("pow T=%d t=%d", steps, t).isCloseTo(Math.pow(0.75, steps - t), EXACT);
                for (RdpmSchedule s : new RdpmSchedule[] {sin, linear, pow}) {
                    // beta_t^2 + alpha_t^2 = 1 (section 3.1), and alpha rises with t
                    assertThat(s.beta(t) * s.beta(t) + s.alpha(t) * s.alpha(t)).isCloseTo(1.0, Offset.offset(1e-12));
                    assertThat(s.beta(t)).isCloseTo(Math.sqrt(1 - s.alpha(t) * s.alpha(t)), EXACT);
                    if (t > 1) {
                        assertThat(s.alpha(t)).isGreaterThan(s.alpha(t - 1));
                    }
                }
            }
            for (RdpmSchedule s : new RdpmSchedule[] {sin, linear, pow}) {
                assertThat(s.steps()).isEqualTo(steps);
                assertThat(s.alpha(steps)).isEqualTo(1.0);
                assertThat(s.beta(steps)).isEqualTo(0.0);
            }
        }
        // the paper's T = 10 pow schedule with phi = 0.75 starts at 0.75^9
        assertThat(RdpmSchedule.of(RdpmScheduleKind.POW, 10, 0.75).alpha(1)).isCloseTo(0.0750847, Offset.offset(1e-7));
        assertThat(RdpmSchedule.of(RdpmScheduleKind.SIN, 2, 0).alpha(1)).isCloseTo(Math.sqrt(0.5), EXACT);
    }

    @Test
    void gammaIsAlphaWhenWeightingAndOneOtherwise() {
        RdpmSchedule s = RdpmSchedule.of(RdpmScheduleKind.LINEAR, 4, 0.5);
        for (int t = 1; t <= 4; t++) {
            assertThat(s.gamma(t, true)).isEqualTo(t / 4.0);
            assertThat(s.gamma(t, false)).isEqualTo(1.0);
        }
    }

    @Test
    void explicitAlphasMustEndAtOneAndStayInTheUnitInterval() {
        assertThat(RdpmSchedule.ofAlphas(1, 1, 1).beta(2)).isEqualTo(0.0);
        assertThatThrownBy(() -> RdpmSchedule.ofAlphas(0.5, 0.9)).hasMessageContaining("alpha_T = 1");
        assertThatThrownBy(() -> RdpmSchedule.ofAlphas(-0.1, 1)).hasMessageContaining("[0, 1]");
        assertThatThrownBy(() -> RdpmSchedule.of(RdpmScheduleKind.SIN, 0, 0.5)).hasMessageContaining("steps");
    }
}
