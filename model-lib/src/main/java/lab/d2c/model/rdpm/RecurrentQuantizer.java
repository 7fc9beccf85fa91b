package lab.d2c.model.rdpm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import lab.d2c.model.nn.Convs;
import lab.d2c.model.nn.StepArrays;

/**
 * RDPM's diffusion-based quantization (arXiv:2412.18390, section 3.1, Eq. 2-4, Algorithm 1): one
 * codebook C of K codes, T steps over the latent z [B, D, h, w]:
 * <pre>
 *   z_1 = z
 *   for t = 1..T:   v_t  = alpha_t z_t + beta_t eps_t                      (Eq. 2, noise eps_t given)
 *                   v'_t = Q(v_t) = C[C_t], C_t = argmin_k ||v_t - C[k]||^2  (nearest code, Euclidean)
 *                   z_{t+1} = z_t - v'_t                                  (RQ-VAE's residual)
 *   decoder input   sum_t v'_t  (+ sum_t conv(v'_t) with the bias conv, Table 2 'bias')
 *   codebook loss   sum_t gamma_t mean((v'_t - sg(v_t))^2)               (Eq. 4, VQ's codebook term)
 *   commitment loss sum_t gamma_t beta mean((sg(v'_t) - v_t)^2)           (Eq. 4, VQ's commitment term)
 * </pre>
 * with gamma_t = alpha_t when weighting is on, else 1 ({@link RdpmSchedule#gamma}). Eq. 4 writes one
 * squared error per step; it is split as VQ-VAE and VQGAN split theirs (the codebook moves to the
 * encoder's output, the encoder commits to its code with weight beta = Eq. 5's 0.25).
 *
 * <p>Gradients: the codes are chosen and the residual is updated without gradient (RQ-VAE quantizes its
 * residuals under {@code detach}); the decoder's input reaches z by the straight-through estimator,
 * written sum + (z - sg(z)) rather than {@code StraightThrough}'s z + sg(sum - z) so that its forward value
 * is the sum bit for bit: decoding the codes ({@link #decoderInput}) then gives exactly the training
 * forward's reconstruction. The bias conv reads the code vectors with their gradient, so the
 * reconstruction loss also reaches the codebook through it (the straight-through path gives it none).
 * The paper does not give the conv's kernel; it is a 3x3 "same" conv over the code dimension, as the
 * autoencoders' convs. Being linear, sum_t conv(v'_t) = W * (sum_t v'_t) + T b; it is still applied per
 * step, as the paper describes it, since that costs little at the token grid.
 *
 * <p>The codebook starts N(0, 1), as RQ-VAE's {@code VQEmbedding} (an {@code nn.Embedding}) does: the
 * layer-normed latents and the noise both have unit scale per element.
 *
 * <p>Forward input: z [B, D, h, w] and the noise eps [B, T, D, h, w]. Forward output ({@link Output}):
 * the decoder's input [B, D, h, w], the codes [B, T, h, w] (int64), the codebook and commitment losses.
 */
public final class RecurrentQuantizer extends AbstractBlock {

    private final int codebookSize;
    private final int codeDim;
    private final RdpmSchedule schedule;
    private final boolean gammaWeighting;
    private final double commitmentBeta;
    private final Parameter codebook;
    private final Conv2d biasConv;

    /** What one forward pass returns. */
    public record Output(NDArray decoderInput, NDArray codes, NDArray codebookLoss, NDArray commitmentLoss) {

        public static Output of(NDList list) {
            return new Output(list.get(0), list.get(1), list.get(2), list.get(3));
        }

        public NDList toList() {
            return new NDList(decoderInput, codes, codebookLoss, commitmentLoss);
        }

        /** Eq. 4's quantization loss: codebook + commitment terms, gamma-weighted over the steps. */
        public NDArray loss() {
            return codebookLoss.add(commitmentLoss);
        }
    }

    /**
     * @param biasConv whether a timestep-shared 3x3 conv adds a bias computed from each quantized vector
     */
    public RecurrentQuantizer(int codebookSize, int codeDim, RdpmSchedule schedule, boolean gammaWeighting,
            boolean biasConv, double commitmentBeta) {
        this.codebookSize = codebookSize;
        this.codeDim = codeDim;
        this.schedule = schedule;
        this.gammaWeighting = gammaWeighting;
        this.commitmentBeta = commitmentBeta;
        this.codebook = addParameter(Parameter.builder().setName("codebook").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(codebookSize, codeDim)).optInitializer(new NormalInitializer(1f)).build());
        this.biasConv = biasConv ? addChildBlock("bias_conv", Convs.same3x3(codeDim)) : null;
    }

    public int codebookSize() {
        return codebookSize;
    }

    public int codeDim() {
        return codeDim;
    }

    public RdpmSchedule schedule() {
        return schedule;
    }

    public boolean hasBiasConv() {
        return biasConv != null;
    }

    public Parameter codebookParameter() {
        return codebook;
    }

    /** Shape of the noise a batch of latents [B, D, h, w] needs: [B, T, D, h, w]. */
    public Shape noiseShape(Shape latents) {
        return new Shape(latents.get(0), schedule.steps(), codeDim, latents.get(2), latents.get(3));
    }

    /** Runs Algorithm 1 on z [B, D, h, w] with the noise eps [B, T, D, h, w]. */
    public Output quantize(ParameterStore store, NDArray z, NDArray noise, boolean training) {
        return Output.of(forward(store, new NDList(z, noise), training));
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray z = inputs.get(0);
        Shape shape = z.getShape();
        int steps = schedule.steps();
        if (shape.dimension() != 4 || shape.get(1) != codeDim) {
            throw new IllegalArgumentException("RecurrentQuantizer expects z [B, " + codeDim + ", h, w], got " + shape);
        }
        NDArray noise = inputs.get(1).toType(z.getDataType(), false);
        if (!noise.getShape().equals(noiseShape(shape))) {
            throw new IllegalArgumentException("noise must be " + noiseShape(shape) + ", got " + noise.getShape());
        }
        long b = shape.get(0);
        long h = shape.get(2);
        long w = shape.get(3);
        NDArray table = StepArrays.parameter(store, codebook, z, training);
        NDArray tableFixed = table.stopGradient();
        NDArray squaredNorms = tableFixed.mul(tableFixed).sum(new int[] {1});
        NDArray two = StepArrays.scalar(z, 2);
        // z_t = z - sum_{s<t} sg(v'_s): the commitment terms reach z with gradient alpha_t, the codes do not
        NDArray residual = rows(z);
        NDArray codebookLoss = null;
        NDArray commitmentLoss = null;
        List<NDArray> quantized = new ArrayList<>(steps);
        NDList codes = new NDList(steps);
        for (int t = 1; t <= steps; t++) {
            NDArray eps = rows(noise.get(new NDIndex(":, {}", t - 1)));
            NDArray v = residual.mul(StepArrays.scalar(z, schedule.alpha(t)))
                    .add(eps.mul(StepArrays.scalar(z, schedule.beta(t))));
            NDArray ids = nearest(v.stopGradient(), tableFixed, squaredNorms, two);
            NDArray q = table.get(new NDIndex("{}", ids));
            NDArray gamma = StepArrays.scalar(z, schedule.gamma(t, gammaWeighting));
            NDArray codebookTerm = meanSquare(q.sub(v.stopGradient())).mul(gamma);
            NDArray commitmentTerm = meanSquare(q.stopGradient().sub(v))
                    .mul(StepArrays.scalar(z, schedule.gamma(t, gammaWeighting) * commitmentBeta));
            codebookLoss = codebookLoss == null ? codebookTerm : codebookLoss.add(codebookTerm);
            commitmentLoss = commitmentLoss == null ? commitmentTerm : commitmentLoss.add(commitmentTerm);
            residual = residual.sub(q.stopGradient());
            quantized.add(toGrid(q, b, h, w));
            codes.add(ids.reshape(b, h, w));
        }
        NDArray sum = accumulate(store, quantized, training);
        NDArray decoderInput = sum.add(z.sub(z.stopGradient()));
        return new NDList(decoderInput, NDArrays.stack(codes, 1), codebookLoss, commitmentLoss);
    }

    /**
     * The decoder's input for codes [B, T, h, w]: sum_t C[C_t] (+ the bias conv's sum), exactly the value the
     * forward pass feeds the decoder for the images these codes came from. On the codes' manager.
     */
    public NDArray decoderInput(ParameterStore store, NDArray codes, boolean training) {
        return accumulate(store, stepVectors(store, codes, training), training);
    }

    /** The quantized vectors v'_t of codes [B, T, h, w] as [B, T, D, h, w] (the predictor's z'_t are their prefix sums). */
    public NDArray quantizedVectors(ParameterStore store, NDArray codes, boolean training) {
        return NDArrays.stack(new NDList(stepVectors(store, codes, training)), 1);
    }

    /** A copy of the codebook [K, D] on {@code manager}. */
    public NDArray codebook(NDManager manager) {
        NDArray copy = codebook.getArray().duplicate();
        copy.attach(manager);
        return copy;
    }

    private List<NDArray> stepVectors(ParameterStore store, NDArray codes, boolean training) {
        Shape shape = codes.getShape();
        if (shape.dimension() != 4 || shape.get(1) != schedule.steps()) {
            throw new IllegalArgumentException("codes must be [B, " + schedule.steps() + ", h, w], got " + shape);
        }
        // zeros + value, as StepArrays.parameter does in the forward pass (pitfall 3), in the codebook's type
        NDArray value = store.getValue(codebook, codes.getDevice(), training);
        NDArray table = codes.getManager().zeros(value.getShape(), value.getDataType(), codes.getDevice()).add(value);
        List<NDArray> out = new ArrayList<>(schedule.steps());
        for (int t = 0; t < schedule.steps(); t++) {
            NDArray ids = codes.get(new NDIndex(":, {}", t)).reshape(-1).toType(DataType.INT64, false);
            out.add(toGrid(table.get(new NDIndex("{}", ids)), shape.get(0), shape.get(2), shape.get(3)));
        }
        return out;
    }

    /** sum_t q_t, then + sum_t conv(q_t) when the bias conv is on; the one place both paths add up the steps. */
    private NDArray accumulate(ParameterStore store, List<NDArray> quantized, boolean training) {
        NDArray sum = null;
        for (NDArray q : quantized) {
            NDArray value = q.stopGradient();
            sum = sum == null ? value : sum.add(value);
        }
        if (biasConv == null) {
            return sum;
        }
        NDArray bias = null;
        for (NDArray q : quantized) {
            NDArray b = biasConv.forward(store, new NDList(q), training).singletonOrThrow();
            bias = bias == null ? b : bias.add(b);
        }
        return sum.add(bias);
    }

    /** Index of the nearest code for each row: argmin_k ||v - C[k]||^2 = argmin_k (||C[k]||^2 - 2 v.C[k]). */
    private static NDArray nearest(NDArray rows, NDArray table, NDArray squaredNorms, NDArray two) {
        return squaredNorms.sub(rows.matMul(table.transpose()).mul(two)).argMin(1);
    }

    /** [B, D, h, w] -> [B*h*w, D]. */
    private NDArray rows(NDArray grid) {
        return grid.transpose(0, 2, 3, 1).reshape(-1, codeDim);
    }

    /** [B*h*w, D] -> [B, D, h, w]. */
    private NDArray toGrid(NDArray rows, long b, long h, long w) {
        return rows.reshape(b, h, w, codeDim).transpose(0, 3, 1, 2);
    }

    private static NDArray meanSquare(NDArray x) {
        return x.mul(x).mean();
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        if (biasConv != null) {
            biasConv.initialize(manager, dataType, inputShapes[0]);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape z = inputShapes[0];
        return new Shape[] {z, new Shape(z.get(0), schedule.steps(), z.get(2), z.get(3)), new Shape(), new Shape()};
    }
}
