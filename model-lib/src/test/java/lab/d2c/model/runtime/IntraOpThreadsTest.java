package lab.d2c.model.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IntraOpThreadsTest {

    @Test
    void slotsShareTheCoresAndTheCountReachesLibtorch() {
        assertThat(IntraOpThreads.forSlots(2, 1)).isEqualTo(2);
        assertThat(IntraOpThreads.forSlots(2, 2)).isEqualTo(1);
        assertThat(IntraOpThreads.forSlots(16, 2)).isEqualTo(8);
        assertThat(IntraOpThreads.forSlots(2, 3)).isEqualTo(1);
        assertThatThrownBy(() -> IntraOpThreads.forSlots(0, 1)).isInstanceOf(IllegalArgumentException.class);
        int before = IntraOpThreads.get();
        try {
            IntraOpThreads.set(1);
            assertThat(IntraOpThreads.get()).isEqualTo(1);
            IntraOpThreads.set(3);
            assertThat(IntraOpThreads.get()).isEqualTo(3);
        } finally {
            IntraOpThreads.set(before);
        }
    }
}
