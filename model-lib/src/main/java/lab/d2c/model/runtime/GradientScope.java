package lab.d2c.model.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Records the autograd graph on the calling thread only, and back-propagates a scalar loss into
 * the gradients of the arrays that require them.
 *
 * <p>Why not DJL's {@code GradientCollector}: its PyTorch implementation allows one open collector
 * per JVM (a static flag), so two training nodes in one worker had to take turns step by step and
 * a second node slot bought nothing. libtorch's grad mode is thread-local ({@code c10::GradMode}
 * lives in thread-local state), so a scope per thread is what libtorch itself supports: this class
 * does what {@code PtGradientCollector} does (grad mode on, {@code backward} with a ones seed,
 * grad mode restored) without the JVM-wide flag. Gradients accumulate, as with the collector;
 * {@code train.TrainingLoop} zeroes them each step.
 */
public final class GradientScope implements AutoCloseable {

    private final boolean previous;

    private GradientScope() {
        previous = JniUtils.isGradMode();
        JniUtils.setGradMode(true);
    }

    /** Opens a scope on this thread; close it on the same thread. */
    public static GradientScope open() {
        return new GradientScope();
    }

    /** Back-propagates {@code loss} (any shape; seeded with ones, as {@code PtGradientCollector}). */
    public void backward(NDArray loss) {
        try (NDArray seed = loss.onesLike()) {
            JniUtils.backward((PtNDArray) loss, (PtNDArray) seed, false, false);
        }
    }

    @Override
    public void close() {
        JniUtils.setGradMode(previous);
    }
}
