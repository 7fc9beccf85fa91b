package lab.d2c.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/** SiLU (swish with beta 1), x * sigmoid(x): the nonlinearity of the LDM / LlamaGen autoencoders. */
public final class Silu {

    private Silu() {
    }

    /** x * sigmoid(x), written with two array operands (DJL's {@code swish(x, beta)} multiplies by a Number). */
    public static NDArray apply(NDArray x) {
        NDArray gate = Activation.sigmoid(x);
        NDArray out = x.mul(gate);
        StepArrays.release(gate);
        return out;
    }
}
