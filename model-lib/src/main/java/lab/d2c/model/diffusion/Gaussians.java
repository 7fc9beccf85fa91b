package lab.d2c.model.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import java.util.SplittableRandom;
import lab.d2c.model.nn.StepArrays;

/**
 * Gaussian helpers of the diffusion loss: standard normal draws from a Java generator, and the
 * two densities of the variational bound, written as LTH14/mar's {@code diffusion/diffusion_utils.py}
 * (itself guided-diffusion's {@code losses.py}). The array functions run on the autograd path, so
 * their constants are natively allocated 0-d arrays ({@link StepArrays#scalar}), never
 * {@code mul(Number)} or {@code clip(Number, Number)} (a DJL pitfall that corrupts gradients).
 */
final class Gaussians {

    /** The discretized likelihood's half bin: data in [-1, 1] from 256 levels. */
    private static final double HALF_BIN = 1.0 / 255.0;

    private Gaussians() {
    }

    /** One standard normal draw (Box-Muller, the sine half unused). */
    static double next(SplittableRandom r) {
        double u1 = 1.0 - r.nextDouble();
        double u2 = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    /**
     * KL(N(mean1, e^logVar1) || N(mean2, e^logVar2)) elementwise, in nats: 0.5 (-1 + logVar2 -
     * logVar1 + e^(logVar1 - logVar2) + (mean1 - mean2)^2 e^-logVar2) ({@code normal_kl},
     * diffusion_utils.py lines 10-36). Shapes broadcast.
     */
    static NDArray normalKl(NDArray mean1, NDArray logVar1, NDArray mean2, NDArray logVar2) {
        NDArray d = mean1.sub(mean2);
        NDArray sum = logVar2.sub(logVar1).add(logVar1.sub(logVar2).exp()).add(d.mul(d).mul(logVar2.neg().exp()));
        return sum.sub(StepArrays.scalar(sum, 1)).mul(StepArrays.scalar(sum, 0.5));
    }

    /**
     * The tanh approximation of the standard normal CDF, 0.5 (1 + tanh(sqrt(2 / pi) (x + 0.044715
     * x^3))) ({@code approx_standard_normal_cdf}, diffusion_utils.py lines 39-44).
     */
    static NDArray approxStandardNormalCdf(NDArray x) {
        NDArray cubic = x.add(x.mul(x).mul(x).mul(StepArrays.scalar(x, 0.044715)));
        NDArray tanh = cubic.mul(StepArrays.scalar(x, Math.sqrt(2.0 / Math.PI))).tanh();
        return tanh.add(StepArrays.scalar(x, 1)).mul(StepArrays.scalar(x, 0.5));
    }

    /**
     * log P(x) in nats, elementwise, of N(means, e^(2 logScales)) discretized to bins of width 2/255
     * on [-1, 1], the outer bins reaching to infinity ({@code discretized_gaussian_log_likelihood},
     * diffusion_utils.py lines 47-73): log(CDF(x + 1/255) - CDF(x - 1/255)) inside, log CDF(x + 1/255)
     * below -0.999, log(1 - CDF(x - 1/255)) above 0.999, each CDF difference floored at 1e-12. All
     * three arrays have one shape (DJL's where does not broadcast its condition).
     */
    static NDArray discretizedLogLikelihood(NDArray x, NDArray means, NDArray logScales) {
        NDArray centered = x.sub(means);
        NDArray inverseStd = logScales.neg().exp();
        NDArray bin = StepArrays.scalar(x, HALF_BIN);
        NDArray floor = StepArrays.scalar(x, 1e-12);
        NDArray cdfPlus = approxStandardNormalCdf(inverseStd.mul(centered.add(bin)));
        NDArray cdfMin = approxStandardNormalCdf(inverseStd.mul(centered.sub(bin)));
        NDArray logCdfPlus = cdfPlus.maximum(floor).log();
        NDArray logOneMinusCdfMin = StepArrays.scalar(x, 1).sub(cdfMin).maximum(floor).log();
        NDArray logDelta = cdfPlus.sub(cdfMin).maximum(floor).log();
        NDArray low = x.lt(StepArrays.scalar(x, -0.999));
        NDArray high = x.gt(StepArrays.scalar(x, 0.999));
        return NDArrays.where(low, logCdfPlus, NDArrays.where(high, logOneMinusCdfMin, logDelta));
    }
}
