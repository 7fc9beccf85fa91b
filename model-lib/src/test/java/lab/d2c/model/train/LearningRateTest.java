package lab.d2c.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LearningRateTest {

    @Test
    void warmsUpLinearlyThenStaysConstant() {
        LearningRate lr = LearningRate.warmupThenConstant(1e-3, 4);
        assertThat(lr.at(0)).isEqualTo(0.25e-3);
        assertThat(lr.at(1)).isEqualTo(0.5e-3);
        assertThat(lr.at(2)).isEqualTo(0.75e-3);
        assertThat(lr.at(3)).isEqualTo(1e-3);
        assertThat(lr.at(4)).isEqualTo(1e-3);
        assertThat(lr.at(1_000_000)).isEqualTo(1e-3);
    }

    @Test
    void noWarmupIsConstant() {
        assertThat(LearningRate.warmupThenConstant(0.1, 0).at(0)).isEqualTo(0.1);
        assertThat(LearningRate.constant(0.1).at(7)).isEqualTo(0.1);
    }

    @Test
    void refusesNonsense() {
        assertThatThrownBy(() -> LearningRate.warmupThenConstant(0, 1)).hasMessageContaining("base");
        assertThatThrownBy(() -> LearningRate.warmupThenConstant(1, -1)).hasMessageContaining("warmupSteps");
    }
}
