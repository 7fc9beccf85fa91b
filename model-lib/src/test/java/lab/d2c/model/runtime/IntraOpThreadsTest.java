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

    private static long osThreads() throws Exception {
        try (var tasks = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/task"))) {
            return tasks.count();
        }
    }

    /** A convolution on a new thread; the process's OS threads while it runs (its OpenMP team). */
    private static long threadsWhileWorking(boolean apply) throws Exception {
        long[] during = new long[1];
        Throwable[] failed = new Throwable[1];
        Thread t = new Thread(() -> {
            try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
                if (apply) {
                    IntraOpThreads.applyToCurrentThread();
                }
                // a batch made from Java arrays and a convolution on it, as a training step's first kernels:
                // oneDNN reads the thread's OpenMP team size, and nothing ran libtorch's per-thread setting of it
                ai.djl.ndarray.NDArray x = m.create(new float[64 * 16 * 32 * 32], new ai.djl.ndarray.types.Shape(64, 16, 32, 32));
                ai.djl.ndarray.NDArray w = m.create(new float[32 * 16 * 9], new ai.djl.ndarray.types.Shape(32, 16, 3, 3));
                ai.djl.nn.convolutional.Conv2d.conv2d(x, w).get(0).sum().getFloat();
                during[0] = osThreads();
            } catch (Throwable e) {
                failed[0] = e;
            }
        });
        t.start();
        t.join();
        if (failed[0] != null) {
            throw new AssertionError(failed[0]);
        }
        return during[0];
    }

    @Test
    void aNewThreadRunsItsKernelsWithTheConfiguredTeamOnlyAfterApplying() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Runtime.getRuntime().availableProcessors() >= 2,
                "one core: a default OpenMP team is one thread, nothing to tell apart");
        int before = IntraOpThreads.get();
        try {
            IntraOpThreads.set(1);
            long base = osThreads();
            // the thread itself, and no OpenMP helper: its kernels run on it alone
            assertThat(threadsWhileWorking(true)).isEqualTo(base + 1);
            // without: libtorch's count says 1, yet the kernels start a default team beside the thread
            assertThat(threadsWhileWorking(false)).isGreaterThan(base + 1);
        } finally {
            IntraOpThreads.set(before);
        }
    }
}
