package lab.d2c.workers.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import lab.d2c.store.artifact.ArtifactStore;
import lab.d2c.store.testing.TestStack;
import org.junit.jupiter.api.Test;

/** Checkpoints on the real S3 server: publish after verification, fall back past corruption. */
class CheckpointStoreTest {

    private static byte[] body(long step) {
        return ("checkpoint of step " + step + " ").repeat(1000).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void latestValidIsTheNewestAndOldOnesAreTrimmed() throws Exception {
        ArtifactStore store = TestStack.get().artifactStore("ckpt");
        CheckpointStore ckpts = new CheckpointStore(store, "train-vq-abc");
        assertThat(ckpts.openLatestValid()).isEmpty();
        for (long step = 100; step <= 500; step += 100) {
            long s = step;
            ckpts.save(step, out -> out.write(body(s)));
        }
        CheckpointStore.Loaded latest = ckpts.openLatestValid().orElseThrow();
        assertThat(latest.entry().step()).isEqualTo(500);
        assertThat(latest.stream().readAllBytes()).isEqualTo(body(500));
        assertThat(ckpts.pointer().orElseThrow().checkpoints()).extracting(CheckpointPointer.Entry::step)
                .containsExactly(500L, 400L, 300L);
        assertThat(store.exists("nodes/train-vq-abc/checkpoints/step-000000000100.ckpt")).isFalse();
    }

    @Test
    void aTruncatedNewestCheckpointFallsBackToThePreviousOne() throws Exception {
        ArtifactStore store = TestStack.get().artifactStore("ckpt-corrupt");
        CheckpointStore ckpts = new CheckpointStore(store, "train-vae-xyz");
        ckpts.save(1, out -> out.write(body(1)));
        CheckpointPointer.Entry newest = ckpts.save(2, out -> out.write(body(2)));
        byte[] truncated = java.util.Arrays.copyOf(body(2), body(2).length - 7);
        store.putBytes(newest.key(), truncated, "application/octet-stream", null);

        CheckpointStore.Loaded loaded = ckpts.openLatestValid().orElseThrow();
        assertThat(loaded.entry().step()).isEqualTo(1);
        assertThat(loaded.stream().readAllBytes()).isEqualTo(body(1));
    }

    @Test
    void aWriterThatFailsLeavesThePointerUntouched() {
        ArtifactStore store = TestStack.get().artifactStore("ckpt-fail");
        CheckpointStore ckpts = new CheckpointStore(store, "train-vq-fail");
        ckpts.save(10, out -> out.write(body(10)));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ckpts.save(20, out -> {
            out.write(body(20), 0, 100);
            throw new java.io.IOException("disk full");
        })).hasMessageContaining("step 20");
        assertThat(ckpts.openLatestValid().orElseThrow().entry().step()).isEqualTo(10);
    }
}
