package lab.d2c.model.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Handles onto a parameter's storage, attached to a short-lived manager. Arrays derived from a
 * parameter attach to the parameter's manager, which never closes (docs/djl-pitfalls.md,
 * pitfall 3), so every view is moved to the caller's per-step manager at once.
 */
public final class Views {

    private Views() {
    }

    /**
     * The same storage without autograd history, on {@code manager}. In-place ops on it change
     * {@code array} without the "leaf variable used in an in-place operation" error, the way
     * {@code p.data.sub_(...)} does in PyTorch.
     */
    public static NDArray detached(NDManager manager, NDArray array) {
        NDArray view = array.stopGradient();
        view.attach(manager);
        return view;
    }

    /** The gradient of {@code parameter} (its storage, so in-place ops change it), on {@code manager}. */
    public static NDArray gradient(NDManager manager, NDArray parameter) {
        NDArray gradient = parameter.getGradient();
        gradient.attach(manager);
        return gradient;
    }

    /**
     * Overwrites a parameter's values in place (the parameter stays the same leaf with the same
     * gradient flag), like {@code p.data.copy_(values)}. {@code set(float[])} on a detached view
     * would swap the view's storage and leave the parameter unchanged.
     */
    public static void overwrite(NDManager manager, NDArray parameter, float[] values) {
        try (NDManager scratch = manager.newSubManager()) {
            NDArray into = detached(scratch, parameter);
            NDArray value = scratch.create(values, parameter.getShape()).toType(parameter.getDataType(), false)
                    .toDevice(parameter.getDevice(), false);
            // x*0 + v is exact for finite x.
            into.muli(Scalars.like(scratch, into, 0)).addi(value);
        }
    }
}
