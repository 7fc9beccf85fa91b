package lab.d2c.model.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class DevicesTest {

    @Test
    void parsesCpuAndGpus() {
        assertThat(Devices.parse("cpu")).isEqualTo(Device.cpu());
        assertThat(Devices.parse(" CPU ")).isEqualTo(Device.cpu());
        assertThat(Devices.parse("gpu:0")).isEqualTo(Device.gpu(0));
        assertThat(Devices.parse("gpu:3")).isEqualTo(Device.gpu(3));
        assertThat(Devices.name(Devices.parse("gpu:2"))).isEqualTo("gpu:2");
        assertThat(Devices.name(Device.cpu())).isEqualTo("cpu");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "gpu", "gpu:", "gpu:-1", "gpu:x", "cuda:0", "tpu", "gpu:0:1", "cpu:0"})
    void refusesAnythingElseNamingTheValue(String value) {
        assertThatThrownBy(() -> Devices.parse(value)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + value + "'").hasMessageContaining("gpu:N");
    }

    @Test
    void refusesNull() {
        assertThatThrownBy(() -> Devices.parse(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("null");
    }
}
