package lab.d2c.model.tokenizer;

import ai.djl.ndarray.NDArray;

/**
 * The straight-through estimator of VQ-VAE (van den Oord et al., 2017), as LlamaGen writes it:
 * {@code z_q = z + (z_q - z).detach()}. Forward it equals the quantized value; backward the gradient
 * reaches z unchanged (d output / d z is the identity) and nothing reaches the codebook through it.
 */
public final class StraightThrough {

    private StraightThrough() {
    }

    /** z + stopGradient(quantized - z). */
    public static NDArray estimate(NDArray z, NDArray quantized) {
        return z.add(quantized.sub(z).stopGradient());
    }
}
