package lab.d2c.model.tokenizer;

import ai.djl.ndarray.NDArray;
import lab.d2c.model.nn.StepArrays;

/**
 * Reconstruction quality of images in [-1, 1]: mean squared error and PSNR. The peak-to-peak range
 * is 2, so PSNR = 10 log10(2^2 / mse) = 10 log10(4 / mse) (the same number as 10 log10(1 / mse')
 * for the images mapped to [0, 1], where mse' = mse / 4).
 */
public final class ReconstructionMetrics {

    private static final double LN_10 = Math.log(10);

    private ReconstructionMetrics() {
    }

    /** Mean over every element of (reconstruction - target)^2; a 0-d array on the reconstruction's manager. */
    public static NDArray mse(NDArray reconstruction, NDArray target) {
        NDArray diff = reconstruction.sub(target);
        return diff.mul(diff).mean();
    }

    /** 10 log10(4 / mse), from a 0-d mse array. */
    public static NDArray psnr(NDArray mse) {
        NDArray ratio = StepArrays.scalar(mse, 4).div(mse);
        return ratio.log().mul(StepArrays.scalar(mse, 10 / LN_10));
    }

    /** 10 log10(4 / mse). */
    public static double psnr(double mse) {
        return 10 * Math.log10(4 / mse);
    }
}
