package lab.d2c.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LocalNodeSlotsTest {

    @Test
    void twoSlotsFromTwoCoresAndWhatTheUserAsksOtherwise() {
        assertThat(LocalNodeSlots.defaultFor(1)).isEqualTo(1);
        assertThat(LocalNodeSlots.defaultFor(2)).isEqualTo(2);
        assertThat(LocalNodeSlots.defaultFor(16)).isEqualTo(2);
        assertThat(LocalNodeSlots.resolve(3)).isEqualTo(3);
        assertThat(LocalNodeSlots.resolve(0)).isEqualTo(LocalNodeSlots.defaultFor(Runtime.getRuntime().availableProcessors()));
        assertThatThrownBy(() -> LocalNodeSlots.resolve(-1)).hasMessageContaining("--node-slots");
    }
}
