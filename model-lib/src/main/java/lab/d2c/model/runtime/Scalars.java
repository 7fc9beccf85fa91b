package lab.d2c.model.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Scalar constants as natively allocated 0-d arrays. {@code x.mul(2f)} wraps the 2 in a Java
 * direct buffer that a GC can free while autograd still reads it, which corrupted gradients in
 * 165 of 200 iterations of a repro (docs/djl-pitfalls.md, pitfall 1); {@code manager.full}
 * allocates in libtorch instead.
 */
public final class Scalars {

    private static final Shape SCALAR = new Shape();

    private Scalars() {
    }

    /** A float32 scalar on {@code manager}'s device. */
    public static NDArray of(NDManager manager, double value) {
        return manager.full(SCALAR, (float) value, DataType.FLOAT32);
    }

    /** A scalar of the given type on {@code manager}'s device. */
    public static NDArray of(NDManager manager, double value, DataType dataType) {
        return manager.full(SCALAR, (float) value, dataType);
    }

    /** A scalar with {@code like}'s data type, on {@code manager} (never on {@code like}'s manager, pitfall 3). */
    public static NDArray like(NDManager manager, NDArray like, double value) {
        return manager.full(SCALAR, (float) value, like.getDataType());
    }

    /** {@code x * value} without a Java-side scalar buffer. */
    public static NDArray mul(NDManager manager, NDArray x, double value) {
        return x.mul(like(manager, x, value));
    }

    /** {@code x + value} without a Java-side scalar buffer. */
    public static NDArray add(NDManager manager, NDArray x, double value) {
        return x.add(like(manager, x, value));
    }

    /** {@code x / value} without a Java-side scalar buffer. */
    public static NDArray div(NDManager manager, NDArray x, double value) {
        return x.div(like(manager, x, value));
    }
}
