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

    /** Sets libtorch's intra-op threads for the whole process. */
    public static void set(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("intra-op threads must be >= 1, got " + threads);
        }
        Engine.getEngine("PyTorch");
        JniUtils.setNumThreads(threads);
    }

    /** libtorch's current intra-op thread count. */
    public static int get() {
        Engine.getEngine("PyTorch");
        return JniUtils.getNumThreads();
    }
}
