package lab.d2c.workers.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class HeartbeatKeeperTest {

    @Test
    void repeatsTheLastDetailsWhileTheNodeIsQuietAndStopsWhenClosed() throws Exception {
        List<Object> beats = new CopyOnWriteArrayList<>();
        try (HeartbeatKeeper keeper = new HeartbeatKeeper(beats::add, 100, "start")) {
            keeper.beat("step 5");
            Thread.sleep(450);
            assertThat(beats.get(0)).isEqualTo("step 5");
            assertThat(beats.subList(1, beats.size())).isNotEmpty().allMatch("step 5"::equals);
        }
        int afterClose = beats.size();
        Thread.sleep(300);
        assertThat(beats).hasSize(afterClose);
    }

    @Test
    void aFailedBackgroundBeatIsRethrownToTheNodesThread() throws Exception {
        RuntimeException cancelled = new IllegalStateException("cancelled");
        try (HeartbeatKeeper keeper = new HeartbeatKeeper(d -> {
            if ("quiet".equals(d)) {
                throw cancelled;
            }
        }, 50, "quiet")) {
            Thread.sleep(300);
            assertThatThrownBy(() -> keeper.beat("step 1")).isSameAs(cancelled);
        }
    }
}
