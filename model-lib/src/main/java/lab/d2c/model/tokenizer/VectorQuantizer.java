package lab.d2c.model.tokenizer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.util.PairList;
import java.util.SplittableRandom;
import lab.d2c.model.nn.StepArrays;

/**
 * LlamaGen's {@code VectorQuantizer} with {@code codebook_l2_norm=True}: the inputs z (NCHW, C = code
 * dim) and the codebook are l2-normalized, each z picks the nearest code (on unit vectors the nearest
 * in L2 is the one of largest cosine), and
 * <pre>
 *   codebook loss   = mean((e - sg(z))^2)
 *   commitment loss = beta * mean((sg(e) - z)^2)
 *   output          = z + sg(e - z)          ({@link StraightThrough})
 * </pre>
 * where z is the normalized input and sg stops gradients. The codebook starts uniform in
 * [-1/K, 1/K] as in LlamaGen. LlamaGen's entropy loss has ratio 0 in its VQ-16 runs and is left out.
 *
 * <p>Forward input: z [B, D, h, w]. Forward output (see {@link Output}): the straight-through
 * quantized tensor [B, D, h, w], the code ids [B, h, w] (int64), the codebook loss, the commitment
 * loss, and the normalized inputs [B*h*w, D] without gradient (the candidates for dead-code re-init).
 */
public final class VectorQuantizer extends AbstractBlock {

    private static final double NORM_EPS = 1e-12;

    private final int codebookSize;
    private final int codeDim;
    private final double beta;
    private final Parameter codebook;

    /** What one forward pass returns. */
    public record Output(NDArray quantized, NDArray ids, NDArray codebookLoss, NDArray commitmentLoss,
            NDArray normalizedInputs) {

        public static Output of(NDList list) {
            return new Output(list.get(0), list.get(1), list.get(2), list.get(3), list.get(4));
        }

        public NDList toList() {
            return new NDList(quantized, ids, codebookLoss, commitmentLoss, normalizedInputs);
        }

        /** codebook loss + commitment loss. */
        public NDArray loss() {
            return codebookLoss.add(commitmentLoss);
        }
    }

    public VectorQuantizer(int codebookSize, int codeDim, double beta) {
        this.codebookSize = codebookSize;
        this.codeDim = codeDim;
        this.beta = beta;
        this.codebook = addParameter(Parameter.builder().setName("codebook").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(codebookSize, codeDim))
                .optInitializer(new UniformInitializer(1f / codebookSize)).build());
    }

    public int codebookSize() {
        return codebookSize;
    }

    public int codeDim() {
        return codeDim;
    }

    public Parameter codebookParameter() {
        return codebook;
    }

    /** Runs the quantizer on z [B, D, h, w]. */
    public Output quantize(ParameterStore store, NDArray z, boolean training) {
        return Output.of(forward(store, new NDList(z), training));
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray z = inputs.singletonOrThrow();
        Shape shape = z.getShape();
        if (shape.dimension() != 4 || shape.get(1) != codeDim) {
            throw new IllegalArgumentException("VectorQuantizer expects [B, " + codeDim + ", h, w], got " + shape);
        }
        long b = shape.get(0);
        long h = shape.get(2);
        long w = shape.get(3);
        NDArray zn = z.transpose(0, 2, 3, 1).reshape(-1, codeDim).normalize(2, 1, NORM_EPS);
        NDArray en = StepArrays.adopt(z, store.getValue(codebook, z.getDevice(), training).normalize(2, 1, NORM_EPS));
        NDArray ids = nearest(zn.stopGradient(), en.stopGradient());
        NDArray q = en.get(new NDIndex("{}", ids));
        NDArray codebookLoss = meanSquare(q.sub(zn.stopGradient()));
        NDArray commitmentLoss = meanSquare(q.stopGradient().sub(zn)).mul(StepArrays.scalar(z, beta));
        NDArray out = StraightThrough.estimate(zn, q).reshape(b, h, w, codeDim).transpose(0, 3, 1, 2);
        return new NDList(out, ids.reshape(b, h, w), codebookLoss, commitmentLoss, zn.stopGradient());
    }

    /** Index of the nearest unit code for each unit row: argmax of cosine = argmin of squared L2. */
    static NDArray nearest(NDArray unitRows, NDArray unitCodes) {
        return unitRows.matMul(unitCodes.transpose()).argMax(1);
    }

    private static NDArray meanSquare(NDArray x) {
        return x.mul(x).mean();
    }

    /** The l2-normalized codes for ids of any shape: [..., D], on the ids' manager. */
    public NDArray lookup(NDArray ids) {
        NDArray en = StepArrays.adopt(ids, codebook.getArray().normalize(2, 1, NORM_EPS));
        Shape shape = ids.getShape();
        NDArray rows = en.get(new NDIndex("{}", ids.reshape(-1).toType(DataType.INT64, false)));
        return rows.reshape(shape.addAll(new Shape(codeDim)));
    }

    /** The l2-normalized codebook [K, D] (what the model uses), as a copy on {@code manager}. */
    public NDArray normalizedCodebook(NDManager manager) {
        NDArray en = codebook.getArray().normalize(2, 1, NORM_EPS);
        en.attach(manager);
        return en;
    }

    /**
     * Replaces each code in {@code codes} with a row of {@code candidates} [N, D] drawn uniformly by
     * {@code rng} (dead-code re-initialization from the current batch's encoder outputs). Other codes
     * are left bit-identical. Runs outside gradient recording (after the optimizer step).
     */
    public void reinitialize(int[] codes, float[] candidates, SplittableRandom rng) {
        if (codes.length == 0) {
            return;
        }
        if (candidates.length == 0 || candidates.length % codeDim != 0) {
            throw new IllegalArgumentException("candidates: need N * " + codeDim + " values, got " + candidates.length);
        }
        int n = candidates.length / codeDim;
        NDArray table = codebook.getArray();
        boolean wide = table.getDataType() == DataType.FLOAT64;
        double[] values = wide ? table.toDoubleArray() : toDoubles(table.toFloatArray());
        for (int code : codes) {
            if (code < 0 || code >= codebookSize) {
                throw new IllegalArgumentException("code " + code + " outside [0, " + codebookSize + ")");
            }
            int row = rng.nextInt(n);
            for (int d = 0; d < codeDim; d++) {
                values[code * codeDim + d] = candidates[row * codeDim + d];
            }
        }
        if (wide) {
            table.set(values);
        } else {
            float[] narrow = new float[values.length];
            for (int i = 0; i < values.length; i++) {
                narrow[i] = (float) values[i];
            }
            table.set(narrow);
        }
    }

    private static double[] toDoubles(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        long n = in.get(0) * in.get(2) * in.get(3);
        return new Shape[] {in, new Shape(in.get(0), in.get(2), in.get(3)), new Shape(), new Shape(),
            new Shape(n, codeDim)};
    }
}
