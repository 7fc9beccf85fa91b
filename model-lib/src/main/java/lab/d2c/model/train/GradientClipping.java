package lab.d2c.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import java.util.List;
import lab.d2c.model.runtime.Scalars;
import lab.d2c.model.runtime.Views;

/**
 * Global-norm gradient clipping, as {@code torch.nn.utils.clip_grad_norm_}. DJL's
 * {@code optClipGrad} clamps each element from above only (docs/djl-pitfalls.md, pitfall 5),
 * which changes gradient directions and leaves large negative entries alone.
 */
public final class GradientClipping {

    /** Added to the norm before dividing, as PyTorch does, so a zero gradient stays finite. */
    static final double NORM_GUARD = 1e-6;

    private GradientClipping() {
    }

    /**
     * Scales every trainable gradient of {@code block} by {@code maxNorm / (norm + 1e-6)} when the
     * global L2 norm exceeds {@code maxNorm}.
     *
     * @param maxNorm &lt;= 0 measures without clipping
     * @return the norm before clipping (for logging)
     */
    public static double globalNorm(NDManager step, Block block, double maxNorm) {
        return globalNorm(step, TrainableParameters.trainable(block), maxNorm);
    }

    static double globalNorm(NDManager step, List<TrainableParameters.Named> parameters, double maxNorm) {
        double norm = norm(step, parameters);
        double factor = factor(norm, maxNorm);
        if (factor != 1) {
            for (TrainableParameters.Named p : parameters) {
                NDArray g = Views.gradient(step, p.array());
                g.muli(Scalars.like(step, g, factor));
            }
        }
        return norm;
    }

    /**
     * The global L2 norm of {@code parameters}' gradients, which are left as they are: on the CPU the square root of
     * the sum of {@link SumOfSquares} over the parameters in their order, all in double precision (no temporary, and
     * the same bits with or without the native kernels); on another device libtorch's float32 square-and-sum there,
     * with one host sync for the whole model.
     */
    static double norm(NDManager step, List<TrainableParameters.Named> parameters) {
        if (parameters.isEmpty()) {
            return 0;
        }
        if (SumOfSquares.handles(parameters.get(0).array())) {
            double sum = 0;
            for (TrainableParameters.Named p : parameters) {
                sum += SumOfSquares.of(Views.gradient(step, p.array()));
            }
            return Math.sqrt(sum);
        }
        NDList squares = new NDList(parameters.size());
        for (TrainableParameters.Named p : parameters) {
            squares.add(Views.gradient(step, p.array()).toType(DataType.FLOAT32, false).square().sum());
        }
        return NDArrays.stack(squares).sum().sqrt().getFloat();
    }

    /**
     * What clipping multiplies every gradient by: {@code maxNorm / (norm + 1e-6)} where {@code norm} exceeds
     * {@code maxNorm}, else 1 (also when {@code maxNorm <= 0}, no clipping). {@link TrainingLoop} hands it to
     * {@link AdamW#step(NDManager, double, double)}, which applies it without a pass of its own.
     */
    static double factor(double norm, double maxNorm) {
        return maxNorm > 0 && norm > maxNorm ? maxNorm / (norm + NORM_GUARD) : 1;
    }
}
