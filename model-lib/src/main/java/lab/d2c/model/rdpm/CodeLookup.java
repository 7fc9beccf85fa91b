package lab.d2c.model.rdpm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;

/**
 * The quantized vectors v'_t of a code map C_t (arXiv:2412.18390, section 3.1, Eq. 2): what the predictor's
 * accumulated latent z'_{t-1} sums and what the sampler adds at each step (Algorithm 2, line 4). An interface so
 * that the tokenizer can supply its own lookup (e.g. with the timestep-shared bias convolution of Table 2); the
 * plain one is {@link #codebook}.
 */
@FunctionalInterface
public interface CodeLookup {

    /**
     * @param codes int code maps [N, h, w]
     * @return the code vectors [N, D, h, w] (the latent's channels-first layout), on the codes' manager and device
     */
    NDArray vectors(NDArray codes);

    /**
     * Rows of a codebook [K, D]. Its values are copied once and the table is made on each call's manager, so nothing
     * computed from it attaches to the codebook's manager (docs/djl-pitfalls.md, pitfall 3) and no gradient reaches it.
     */
    static CodeLookup codebook(NDArray codebook) {
        Shape shape = codebook.getShape();
        if (shape.dimension() != 2) {
            throw new IllegalArgumentException("CodeLookup.codebook: expected [K, D], got " + shape);
        }
        float[] table = codebook.toType(DataType.FLOAT32, true).toFloatArray();
        return codes -> {
            NDManager m = codes.getManager();
            NDArray rows = m.create(table, shape).toDevice(codes.getDevice(), false);
            NDArray ids = codes.getDataType() == DataType.INT64 ? codes : codes.toType(DataType.INT64, false);
            NDArray vectors = Embedding.embedding(ids, rows, SparseFormat.DENSE).singletonOrThrow();
            return vectors.transpose(0, 3, 1, 2);
        };
    }
}
