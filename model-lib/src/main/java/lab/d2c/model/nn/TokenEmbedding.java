package lab.d2c.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import lab.d2c.model.runtime.Views;

/**
 * A lookup table from token ids to vectors (LlamaGen's {@code tok_embeddings}), initialized from
 * N(0, initStd^2). Stage two initializes its discrete-token embedding from stage one's table and
 * freezes it (paper section 5.1): {@link #copyFrom} then {@link #freeze}.
 */
public final class TokenEmbedding extends AbstractBlock {

    private final int vocab;
    private final int dim;
    private final Parameter weight;

    public TokenEmbedding(int vocab, int dim, float initStd) {
        if (vocab < 1 || dim < 1) {
            throw new IllegalArgumentException("TokenEmbedding: vocab and dim must be >= 1, got " + vocab + ", " + dim);
        }
        this.vocab = vocab;
        this.dim = dim;
        this.weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(vocab, dim)).optInitializer(new NormalInitializer(initStd)).build());
    }

    public int vocab() {
        return vocab;
    }

    public int dim() {
        return dim;
    }

    /** Vectors [..., dim] of integer ids [...]. */
    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray ids = inputs.singletonOrThrow();
        NDArray w = store.getValue(weight, ids.getDevice(), training);
        NDArray longIds = ids.getDataType() == DataType.INT64 ? ids : ids.toType(DataType.INT64, false);
        return Embedding.embedding(longIds, w, SparseFormat.DENSE);
    }

    /** The table [vocab, dim] as a copy on {@code manager}. */
    public NDArray table(NDManager manager) {
        NDArray copy = weight.getArray().stopGradient().duplicate();
        copy.attach(manager);
        return copy;
    }

    /**
     * Overwrites the table with {@code table} [vocab, dim] (e.g. stage one's, exported as .npy).
     * Call after {@code initialize}.
     */
    public void copyFrom(float[] table) {
        if (table.length != (long) vocab * dim) {
            throw new IllegalArgumentException("TokenEmbedding.copyFrom: expected " + vocab + " x " + dim + " = "
                    + (long) vocab * dim + " values, got " + table.length);
        }
        NDArray w = weight.getArray();
        if (w.getDataType() != DataType.FLOAT32) {
            throw new IllegalStateException("TokenEmbedding.copyFrom: the table is " + w.getDataType() + ", not float32");
        }
        Views.overwrite(w.getManager(), w, table);
    }

    /** Stops training of the table: the optimizer and clipping skip it. */
    public void freeze() {
        freezeParameters(true);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0].add(dim)};
    }
}
