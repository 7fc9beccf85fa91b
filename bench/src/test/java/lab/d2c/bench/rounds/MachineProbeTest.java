package lab.d2c.bench.rounds;

import static org.assertj.core.api.Assertions.assertThat;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** What the probe's readings count: fixed work with a known result, so the JIT cannot shorten it. */
class MachineProbeTest {

    @Test
    void theMemoryPassesSumEveryElementEachPass() {
        long[] values = {3, -1, 7, 10};
        assertThat(MachineProbe.memory(values, 3)).isEqualTo(3 * 19.0);
        // the probe's own array holds 0 .. n-1: each pass sums to n(n-1)/2
        long n = MachineProbe.MEMORY_LONGS;
        long[] array = new long[(int) n];
        for (int i = 0; i < n; i++) {
            array[i] = i;
        }
        assertThat(MachineProbe.memory(array, MachineProbe.MEMORY_PASSES))
                .isEqualTo((double) (MachineProbe.MEMORY_PASSES * (n * (n - 1) / 2)));
    }

    @Test
    void theComputePassesRunAsOftenAsAskedOverEveryElement() {
        // one pass from 0: b in every element
        float[] x = new float[8];
        assertThat(MachineProbe.compute(x, 1)).isCloseTo(8 * 1e-6, Offset.offset(1e-12));
        // n passes from 0: x_n = 1 - a^n in every element (float rounding aside)
        float[] y = new float[4];
        assertThat(MachineProbe.compute(y, 1000)).isCloseTo(4 * (1 - Math.pow(0.999999, 1000)), Offset.offset(1e-5));
        assertThat(y[3]).isEqualTo(y[0]);
        // from the fixed point it stays there, so the probe's passes neither overflow nor vanish
        float[] ones = new float[MachineProbe.COMPUTE_FLOATS];
        java.util.Arrays.fill(ones, 1f);
        assertThat(MachineProbe.compute(ones, MachineProbe.COMPUTE_PASSES))
                .isCloseTo(MachineProbe.COMPUTE_FLOATS, Offset.offset(1.0));
    }

    @Test
    void aReadingTimesBothProbesOnEveryThreadAndFeedsTheChecksum() {
        try (MachineProbe probe = new MachineProbe(2, () -> 1.5)) {
            assertThat(probe.threads()).isEqualTo(2);
            double before = probe.checksum();
            MachineProbe.Reading reading = probe.read();
            assertThat(reading.computeMs()).isPositive();
            assertThat(reading.memoryMs()).isPositive();
            assertThat(reading.freshPagesMs()).isEqualTo(1.5); // the caller's timing, as it gave it
            long n = MachineProbe.MEMORY_LONGS;
            // two compute threads' arrays at their fixed point 1, one memory reading
            assertThat(probe.checksum() - before).isCloseTo(2.0 * MachineProbe.COMPUTE_FLOATS
                    + MachineProbe.MEMORY_PASSES * (n * (n - 1) / 2.0),
                    Offset.offset(1e3));
        }
        try (MachineProbe probe = new MachineProbe()) {
            assertThat(probe.threads()).isEqualTo(Runtime.getRuntime().availableProcessors());
            assertThat(probe.read().freshPagesMs()).isNaN();
        }
    }
}
