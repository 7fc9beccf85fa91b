package lab.d2c.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Arrays that must live where the activations live. Two DJL pitfalls (../shared/notes/djl.md) meet
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

    /** Moves {@code derived} (e.g. a reshaped parameter) to the manager of {@code owner}; returns it. */
    public static NDArray adopt(NDArray owner, NDArray derived) {
        derived.attach(owner.getManager());
        return derived;
    }
}
