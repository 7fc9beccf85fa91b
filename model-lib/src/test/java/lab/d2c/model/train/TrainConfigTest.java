package lab.d2c.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TrainConfigTest {

    private static TrainConfig.Builder valid() {
        return TrainConfig.builder().setSteps(10).setBatchSize(4).setLr(1e-3).setSeed(0);
    }

    @Test
    void builderFillsTheUsualDefaults() {
        TrainConfig c = valid().build();
        assertThat(c.beta1()).isEqualTo(0.9);
        assertThat(c.beta2()).isEqualTo(0.95);
        assertThat(c.eps()).isEqualTo(1e-8);
        assertThat(c.device()).isEqualTo("cpu");
        assertThat(c.ema()).isFalse();
        assertThat(c.clipping()).isTrue();
        assertThat(valid().optClipNorm(0).build().clipping()).isFalse();
    }

    @Test
    void validationNamesTheField() {
        assertThatThrownBy(() -> valid().setSteps(0).build()).hasMessageContaining("TrainConfig.steps");
        assertThatThrownBy(() -> valid().setBatchSize(-1).build()).hasMessageContaining("TrainConfig.batchSize");
        assertThatThrownBy(() -> valid().setLr(Double.NaN).build()).hasMessageContaining("TrainConfig.lr");
        assertThatThrownBy(() -> valid().optWarmupSteps(-1).build()).hasMessageContaining("TrainConfig.warmupSteps");
        assertThatThrownBy(() -> valid().optWeightDecay(-0.1).build()).hasMessageContaining("TrainConfig.weightDecay");
        assertThatThrownBy(() -> valid().optBetas(1, 0.9).build()).hasMessageContaining("TrainConfig.beta1");
        assertThatThrownBy(() -> valid().optBetas(0.9, -1).build()).hasMessageContaining("TrainConfig.beta2");
        assertThatThrownBy(() -> valid().optEps(0).build()).hasMessageContaining("TrainConfig.eps");
        assertThatThrownBy(() -> valid().optEmaDecay(1).build()).hasMessageContaining("TrainConfig.emaDecay");
        assertThatThrownBy(() -> valid().optCheckpointEvery(-1).build())
                .hasMessageContaining("TrainConfig.checkpointEvery");
        assertThatThrownBy(() -> valid().optDevice("gpu").build()).hasMessageContaining("TrainConfig.device")
                .hasMessageContaining("'gpu'");
        assertThatThrownBy(() -> TrainConfig.builder().setSteps(1).setBatchSize(1).setSeed(1).build())
                .hasMessageContaining("TrainConfig.lr is required");
    }

    @Test
    void fingerprintIgnoresLengthCadenceAndDevice() {
        TrainConfig a = valid().build();
        assertThat(a.withSteps(99).withDevice("gpu:1").fingerprint()).isEqualTo(a.fingerprint());
        assertThat(valid().optCheckpointEvery(5).optLogEvery(3).build().fingerprint()).isEqualTo(a.fingerprint());
        assertThat(valid().setLr(2e-3).build().fingerprint()).isNotEqualTo(a.fingerprint());
        assertThat(valid().setSeed(1).build().fingerprint()).isNotEqualTo(a.fingerprint());
    }

    @Test
    void aCosineRunsLengthIsPartOfItsFingerprint() {
        TrainConfig cosine = valid().setSteps(100).optLrSchedule(LrSchedule.COSINE).build();
        assertThat(cosine.fingerprint()).isNotEqualTo(valid().setSteps(100).build().fingerprint());
        // every rate depends on the length, so a checkpoint of a 100-step run cannot resume a 200-step one
        assertThat(cosine.withSteps(200).fingerprint()).isNotEqualTo(cosine.fingerprint());
        assertThatThrownBy(() -> valid().setSteps(10).optWarmupSteps(10).optLrSchedule(LrSchedule.COSINE).build())
                .hasMessageStartingWith("TrainConfig.steps");
    }
}
