package lab.d2c.model.runtime;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * libtorch's intra-op thread count, which is process-wide. A worker that runs several nodes at
 * once splits the machine's cores between its node slots instead of letting every node start
 * one thread per core: on 2 cores, two nodes with 2 threads each spend their time switching.
 */
public final class IntraOpThreads {

    private IntraOpThreads() {
    }

    /** The count for {@code slots} node slots on {@code cores} cores: an equal share, at least 1. */
    public static int forSlots(int cores, int slots) {
        if (cores < 1 || slots < 1) {
            throw new IllegalArgumentException("cores and slots must be >= 1, got " + cores + " and " + slots);
        }
        return Math.max(1, cores / slots);
    }

    /** The count {@link #set} last gave; 0 before any. */
    private static volatile int configured;

    /**
     * Sets libtorch's intra-op threads for the process, and for the calling thread's OpenMP kernels (see
     * {@link #applyToCurrentThread}).
     */
    public static void set(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("intra-op threads must be >= 1, got " + threads);
        }
        Engine.getEngine("PyTorch");
        configured = threads;
        JniUtils.setNumThreads(threads);
    }

    /**
     * Gives the calling thread the count {@link #set} configured (nothing before any set). OpenMP keeps the
     * team size per thread. libtorch's parallel loops copy the process-wide count into a thread the first time
     * they run on it, but oneDNN's convolutions and the BLAS read the thread's own size, so a new thread whose
     * first kernels are a convolution or a matrix product on a batch made from Java arrays (a training step's
     * first kernels) runs them with a team of one thread per core; oneDNN also keeps the primitives it created
     * then. A worker's node runs on a thread of Temporal's activity pool, so it calls this first
     * ({@code IntraOpThreadsTest} shows the extra OpenMP thread without it and none with it). Whether this is
     * why the paper sweep's VAE trained at 3-6 s a step while the classifier ran beside it (1.2 s after) is not
     * measured.
     */
    public static void applyToCurrentThread() {
        int threads = configured;
        if (threads > 0) {
            JniUtils.setNumThreads(threads);
        }
    }

    /** libtorch's current intra-op thread count. */
    public static int get() {
        Engine.getEngine("PyTorch");
        return JniUtils.getNumThreads();
    }
}
