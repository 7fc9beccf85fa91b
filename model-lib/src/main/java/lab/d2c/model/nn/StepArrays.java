package lab.d2c.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.training.ParameterStore;

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
     *
     * <p>Only for arrays libtorch computed. An array made from Java values ({@code manager.create(float[])})
     * lives in a direct buffer that libtorch borrows: once its handle is closed the JVM may free the buffer
     * while autograd still reads it (docs/djl-pitfalls.md, pitfall 1), so such inputs stay on the step's
     * manager until it closes.
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

    /**
     * A parameter's value as an operand: added to zeros on the manager of {@code like} (the activations'),
     * so what is computed from it attaches there and not to the parameter's manager (pitfall 3).
     */
    public static NDArray parameter(ParameterStore store, Parameter p, NDArray like, boolean training) {
        NDArray value = store.getValue(p, like.getDevice(), training);
        return like.getManager().zeros(value.getShape(), like.getDataType(), like.getDevice()).add(value);
    }

    /**
     * Row i of {@code real} where !fake[i], else {@code substitute} (broadcast), as real * (1 - f) + substitute * f:
     * classifier-free guidance's per-sample swap to a learned fake (a class, discrete tokens).
     *
     * @param flagShape the shape of the per-sample flags that broadcasts against {@code real}, e.g. [B, 1, 1]
     */
    public static NDArray blend(NDArray real, NDArray substitute, boolean[] fake, Shape flagShape) {
        float[] f = new float[fake.length];
        float[] keep = new float[fake.length];
        for (int i = 0; i < fake.length; i++) {
            f[i] = fake[i] ? 1 : 0;
            keep[i] = 1 - f[i];
        }
        NDManager m = real.getManager();
        NDArray isFake = m.create(f, flagShape).toType(real.getDataType(), false).toDevice(real.getDevice(), false);
        NDArray isReal = m.create(keep, flagShape).toType(real.getDataType(), false).toDevice(real.getDevice(), false);
        return real.mul(isReal).add(substitute.mul(isFake));
    }

    /**
     * Rows {@code index[k]} of {@code table} [R, W], in index order ([index.length, W]; rows may repeat), on the
     * manager of {@code table}. libtorch's embedding op: its backward adds each output row's gradient into the
     * table row it came from, as a gather's does, in one pass over the index.
     */
    public static NDArray rows(NDArray table, long[] index) {
        // the index stays on the manager (not closed here): the backward pass reads it, and it lives in a
        // Java direct buffer the JVM could free once nothing holds the handle (see release)
        NDArray ids = table.getManager().create(index).toDevice(table.getDevice(), false);
        return Embedding.embedding(ids, table, SparseFormat.DENSE).singletonOrThrow();
    }
}
