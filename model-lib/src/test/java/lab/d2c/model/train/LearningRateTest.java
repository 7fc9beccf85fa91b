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
    void cosineDecaysFromTheBaseAfterWarmupToZeroAtTheEnd() {
        LearningRate lr = LearningRate.warmupThenCosine(1e-3, 4, 12);
        assertThat(lr.at(0)).isEqualTo(0.25e-3);
        assertThat(lr.at(3)).isEqualTo(1e-3);
        assertThat(lr.at(4)).isEqualTo(1e-3); // cos(0)
        assertThat(lr.at(8)).isCloseTo(0.5e-3, org.assertj.core.data.Offset.offset(1e-15)); // half-way: cos(pi/2)
        assertThat(lr.at(6)).isCloseTo(1e-3 * (1 + Math.sqrt(0.5)) / 2, org.assertj.core.data.Offset.offset(1e-15));
        assertThat(lr.at(11)).isCloseTo(1e-3 * (1 + Math.cos(Math.PI * 7 / 8)) / 2,
                org.assertj.core.data.Offset.offset(1e-15)); // the last step, just above 0
        for (long s = 4; s < 11; s++) {
            assertThat(lr.at(s + 1)).isLessThan(lr.at(s));
        }
        assertThatThrownBy(() -> LearningRate.warmupThenCosine(1e-3, 4, 4)).hasMessageContaining("warmupSteps");
    }

    @Test
    void schedulesAreNamedAsConfigsSpellThem() {
        assertThat(LrSchedule.parse("cosine")).isEqualTo(LrSchedule.COSINE);
        assertThat(LrSchedule.CONSTANT.configName()).isEqualTo("constant");
        assertThatThrownBy(() -> LrSchedule.parse("linear")).hasMessageStartingWith("lr_schedule:");
    }

    @Test
    void refusesNonsense() {
        assertThatThrownBy(() -> LearningRate.warmupThenConstant(0, 1)).hasMessageContaining("base");
        assertThatThrownBy(() -> LearningRate.warmupThenConstant(1, -1)).hasMessageContaining("warmupSteps");
    }
}
