package lab.d2c.model.stage2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * What the discrete tokens contribute to the hybrid model's condition (section 4.2), as the model's
 * {@link lab.d2c.model.stage2.fusion.Fusion} computes it: their features projected for the encoder and the
 * decoder, and the Q-Former's query outputs. None of it depends on the continuous tokens or on the mask, so
 * a sampler computes it once per run, not at every AR step, much as stage one's KV cache keeps what earlier
 * steps computed. Absent parts are null (fusion {@code none} has none; only the Q-Former fusions have
 * queries; only cross-attention and DisCon read the decoder's).
 *
 * @param toEncoder discrete features in the encoder's width [B, N, encoderWidth], or null
 * @param toDecoder discrete features in the decoder's width [B, N, decoderWidth], or null
 * @param queries   the Q-Former's outputs [B, L, encoderWidth], or null
 */
public record DiscreteContext(NDArray toEncoder, NDArray toDecoder, NDArray queries) {

    /** The context of a fusion kind that reads no discrete tokens. */
    public static final DiscreteContext NONE = new DiscreteContext(null, null, null);

    /**
     * The same arrays through views owned by {@code scope} (no copy). DJL attaches an operation's result to
     * its first operand's manager, so a step reading the run's context directly would leave what it
     * derives from it (cross-attention keys and values) on the run's manager until the run ends.
     */
    DiscreteContext viewsOn(NDManager scope) {
        return new DiscreteContext(view(toEncoder, scope), view(toDecoder, scope), view(queries, scope));
    }

    private static NDArray view(NDArray array, NDManager scope) {
        if (array == null) {
            return null;
        }
        NDArray v = array.reshape(array.getShape());
        v.attach(scope);
        return v;
    }
}
