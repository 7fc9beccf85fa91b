package lab.d2c.model.nn;

import ai.djl.ndarray.NDArray;
import lab.d2c.model.runtime.SeededDraws;

/**
 * Inverted dropout whose mask comes from {@link SeededDraws} with a seed the caller derives from
 * (run seed, step, site), so a resumed run drops exactly the units an uninterrupted run dropped.
 * DJL's {@code Dropout} draws from libtorch's unsaved generator state and cannot promise that.
 */
public final class SeededDropout {

    private SeededDropout() {
    }

    /** x with each element zeroed with probability p and the rest scaled by 1 / (1 - p); x itself when p is 0. */
    public static NDArray apply(NDArray x, double p, long seed) {
        if (p <= 0) {
            return x;
        }
        if (p >= 1) {
            throw new IllegalArgumentException("dropout probability must be < 1, got " + p);
        }
        NDArray keep = SeededDraws.uniform(x.getManager(), x.getShape(), seed)
                .gte(StepArrays.scalar(x, p)).toType(x.getDataType(), false);
        NDArray scaled = keep.mul(StepArrays.scalar(x, 1.0 / (1.0 - p)));
        return x.mul(scaled);
    }
}
