package lab.d2c.model.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.function.Function;

/**
 * Inference outside the caller's memory: the intermediates of an encode or decode live in a
 * sub-manager that is closed at once, so a long loop over batches does not pile them up on the
 * caller's manager (docs/djl-pitfalls.md: arrays live as long as their manager).
 */
public final class Scratch {

    private Scratch() {
    }

    /** Runs {@code f} on a copy of {@code input} in a scratch manager; only the result survives, on the input's manager. */
    public static NDArray apply(NDArray input, Function<NDArray, NDArray> f) {
        NDManager owner = input.getManager();
        try (NDManager scratch = owner.newSubManager()) {
            NDArray copy = input.duplicate();
            copy.attach(scratch);
            NDArray result = f.apply(copy);
            result.attach(owner);
            return result;
        }
    }
}
