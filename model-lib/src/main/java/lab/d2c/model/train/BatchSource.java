package lab.d2c.model.train;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/** Training data as the loop sees it: a count and batches by item index. Callers implement it. */
public interface BatchSource {

    /** Items in one epoch. */
    int size();

    /**
     * The batch of the given items, created on {@code manager} (the per-step manager, closed after
     * the step, on the training device). Must be a pure function of {@code indices}.
     */
    NDList batch(NDManager manager, int[] indices);
}
