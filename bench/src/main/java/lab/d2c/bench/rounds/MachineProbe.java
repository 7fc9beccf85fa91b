package lab.d2c.bench.rounds;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.DoubleSupplier;

/**
 * A fixed piece of plain-Java work timed beside each arm of a round, to tell a slower machine from a slower arm.
 * On the 2-core VM a sampling arm took 2-2.7x longer in some rounds than in others of the same run (BENCHMARKS.md,
 * section 2); when the probe slows by the same factor at the same time, the machine (the host's other tenants, its
 * memory) slowed, not the arm's code or libtorch's state, because the probe touches neither libtorch nor the
 * arm's memory.
 *
 * <p>Readings: {@code compute}, multiply-adds over a 4 KiB float array that stays in the L1 cache, which the JIT
 * vectorizes, so it is bound by SIMD throughput as libtorch's kernels are (a vCPU whose SMT sibling is busy with
 * another tenant, or a lower clock, slows it; a chain of dependent scalar operations would not notice a busy
 * sibling), run on every core at once (one thread per core, as libtorch's intra-op threads run; the slowest
 * thread's time, since an op waits for its slowest thread: this is what shows a vCPU the host takes away); and
 * {@code memory}, a sum over a 64 MiB array, larger than the caches (memory bandwidth). Each result feeds a checksum
 * so the JIT cannot drop the work. A third, optional reading, {@code freshPages}, is timed by the caller's code: the
 * benchmarks allocate and zero {@value #FRESH_MIB} MiB through libtorch and free them ({@code FreshPages}), the path
 * of every large temporary of a sampling step, which on a VM costs a page fault in the guest and often one in the
 * host per page.
 */
public final class MachineProbe implements AutoCloseable {

    /** floats in each compute thread's array: 4 KiB, L1-resident. */
    public static final int COMPUTE_FLOATS = 1024;
    /** Passes over that array in the compute reading. */
    public static final int COMPUTE_PASSES = 200_000;
    /** longs in the memory reading's array: 64 MiB. */
    public static final int MEMORY_LONGS = 8 << 20;
    /** Passes over the array in the memory reading. */
    public static final int MEMORY_PASSES = 2;
    /** MiB the benchmarks' fresh-pages reading allocates, zeroes and frees. */
    public static final int FRESH_MIB = 64;

    private final long[] array = new long[MEMORY_LONGS];
    private final int threads;
    private final ExecutorService pool;
    private final DoubleSupplier freshPages;
    private double checksum;

    /**
     * One reading of each probe, in milliseconds.
     *
     * @param computeMs the slowest compute chain's wall time
     * @param memoryMs  the array passes' wall time
     * @param freshPagesMs the caller's fresh-pages timing, NaN without one
     */
    public record Reading(double computeMs, double memoryMs, double freshPagesMs) {
    }

    /** A probe whose compute reading runs on every core ({@link Runtime#availableProcessors()}). */
    public MachineProbe() {
        this(Runtime.getRuntime().availableProcessors(), null);
    }

    /**
     * @param threads    compute chains run at once
     * @param freshPages times one fresh-pages allocation in milliseconds; null for none
     */
    public MachineProbe(int threads, DoubleSupplier freshPages) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1: " + threads);
        }
        this.threads = threads;
        this.freshPages = freshPages;
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "machine-probe");
            t.setDaemon(true);
            return t;
        });
        for (int i = 0; i < array.length; i++) {
            array[i] = i;
        }
        // two untimed readings so the timed ones run compiled code
        read();
        read();
    }

    /** Takes one reading of each probe (the fresh-pages one only with a timer). */
    public Reading read() {
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Future<double[]>> chains = new ArrayList<>(threads);
        for (int i = 0; i < threads; i++) {
            chains.add(pool.submit(() -> {
                start.await();
                long t0 = System.nanoTime();
                float[] x = new float[COMPUTE_FLOATS];
                Arrays.fill(x, 1f);
                double sum = compute(x, COMPUTE_PASSES);
                return new double[] {(System.nanoTime() - t0) / 1e6, sum};
            }));
        }
        double slowest = 0;
        for (Future<double[]> chain : chains) {
            try {
                double[] r = chain.get();
                slowest = Math.max(slowest, r[0]);
                checksum += r[1];
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while probing", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("probe thread failed", e.getCause());
            }
        }
        long t1 = System.nanoTime();
        checksum += memory(array, MEMORY_PASSES);
        long t2 = System.nanoTime();
        return new Reading(slowest, (t2 - t1) / 1e6, freshPages == null ? Double.NaN : freshPages.getAsDouble());
    }

    /** The readings of a run, by arm and round, as the benchmarks report them beside the arms' own figures. */
    public static final class Log {

        private final Map<String, double[]> computeMs = new LinkedHashMap<>();
        private final Map<String, double[]> memoryMs = new LinkedHashMap<>();
        private final Map<String, double[]> freshPagesMs = new LinkedHashMap<>();

        /** Room for one reading per arm and round. */
        public Log(List<String> arms, int rounds) {
            for (String arm : arms) {
                computeMs.put(arm, new double[rounds]);
                memoryMs.put(arm, new double[rounds]);
                freshPagesMs.put(arm, new double[rounds]);
            }
        }

        /** Records the reading taken before {@code arm}'s timing in {@code round} (0-based). */
        public void put(String arm, int round, Reading reading) {
            computeMs.get(arm)[round] = reading.computeMs();
            memoryMs.get(arm)[round] = reading.memoryMs();
            freshPagesMs.get(arm)[round] = reading.freshPagesMs();
        }

        public Map<String, double[]> computeMs() {
            return computeMs;
        }

        public Map<String, double[]> memoryMs() {
            return memoryMs;
        }

        public Map<String, double[]> freshPagesMs() {
            return freshPagesMs;
        }

        /** One line: each reading's median and range over the run, to set beside the arms' spread. */
        public String summary(MachineProbe probe) {
            Spread compute = pooled(computeMs);
            Spread memory = pooled(memoryMs);
            String line = String.format("machine probe before each timing: compute on %d threads %.0f ms (%.0f-%.0f), "
                    + "memory %.0f ms (%.0f-%.0f)", probe.threads(), compute.median(), compute.min(), compute.max(),
                    memory.median(), memory.min(), memory.max());
            if (probe.freshPages != null) {
                Spread fresh = pooled(freshPagesMs);
                line += String.format(", fresh pages (%d MiB through libtorch) %.0f ms (%.0f-%.0f)", FRESH_MIB,
                        fresh.median(), fresh.min(), fresh.max());
            }
            return line + "; an arm that slows with them slowed with the machine";
        }

        private static Spread pooled(Map<String, double[]> byArm) {
            return Rounds.spread(byArm.values().stream().flatMapToDouble(Arrays::stream).toArray());
        }
    }

    /** Threads of the compute reading. */
    public int threads() {
        return threads;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }

    /** What the readings computed so far summed to; keeps their results observable. */
    public double checksum() {
        return checksum;
    }

    /**
     * {@code x[i] <- x[i] * a + b} over the array, {@code passes} times, with a = 0.999999 and b = 1e-6; returns the
     * elements' sum. Every element moves toward the fixed point 1 and stays finite however many passes.
     */
    static double compute(float[] x, int passes) {
        for (int p = 0; p < passes; p++) {
            for (int i = 0; i < x.length; i++) {
                x[i] = x[i] * 0.999999f + 1e-6f;
            }
        }
        double sum = 0;
        for (float v : x) {
            sum += v;
        }
        return sum;
    }

    /** The sum of every element, {@code passes} times. */
    static double memory(long[] values, int passes) {
        long sum = 0;
        for (int p = 0; p < passes; p++) {
            for (long v : values) {
                sum += v;
            }
        }
        return sum;
    }
}
