package lab.d2c.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Arrays that must live where the activations live. Two DJL pitfalls (docs/djl-pitfalls.md) meet
 * here: {@code x.mul(Number)} frees the scalar while autograd still holds it (pitfall 1), so scalars
 * are natively allocated 0-d arrays; and arrays derived from a parameter attach to the parameter's
 * manager, which never closes (pitfall 3), so they are moved to the activations' manager.
 */
public final class StepArrays {

    private StepArrays() {
    }

    /** A natively allocated 0-d array holding {@code value}, on the manager, device and type of {@code like}. */
    public static NDArray scalar(NDArray like, double value) {
        return like.getManager().full(new Shape(), (float) value, like.getDataType(), like.getDevice());
    }

    /**
     * Drops this code's handles on intermediates the forward pass no longer reads, as Python's reference
     * counting does in PyTorch eager. Autograd holds its own references to what the backward pass needs,
     * so gradients are unchanged; what nothing else holds is freed now instead of when the step's manager
     * closes. On the b diffusion head's [8192, 1024] activations the late release kept about 1.4 GB more
     * alive than PyTorch and made the training step about 1.2x slower (BENCHMARKS.md, engine).
     */
    public static void release(NDArray... arrays) {
        for (NDArray a : arrays) {
            a.close();
        }
    }

    /** {@link #release} of every array of a list (e.g. the views {@code split} returned). */
    public static void release(ai.djl.ndarray.NDList arrays) {
        arrays.forEach(NDArray::close);
    }

    /** Moves {@code derived} (e.g. a reshaped parameter) to the manager of {@code owner}; returns it. */
    public static NDArray adopt(NDArray owner, NDArray derived) {
        derived.attach(owner.getManager());
        return derived;
    }
}
