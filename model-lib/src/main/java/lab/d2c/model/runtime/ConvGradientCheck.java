package lab.d2c.model.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.ndarray.NDList;
import java.util.Optional;

/**
 * Checks that libtorch's CPU convolution gives finite input gradients on the shapes where its
 * oneDNN AVX2/AVX-512 kernels were seen to return NaN (8 channels, 8x8 and 16x16, batch 2, on an
 * AMD EPYC host; docs/djl-pitfalls.md, pitfall 15). Workers run it before training on the CPU
 * so a bad kernel fails loudly at start instead of as a NaN loss hours later.
 */
public final class ConvGradientCheck {

    /** The environment variable that caps oneDNN's instruction set; read once when libtorch loads. */
    public static final String ISA_VARIABLE = "ONEDNN_MAX_CPU_ISA";

    private static final int[][] SHAPES = {{2, 8, 8}, {2, 8, 16}, {4, 8, 8}};
    private static final int ROUNDS = 3;

    private ConvGradientCheck() {
    }

    /** The failure, if any: a sentence naming the shape and the fix. Empty when every gradient was finite. */
    public static Optional<String> run() {
        for (int round = 0; round < ROUNDS; round++) {
            for (int[] s : SHAPES) {
                int bad = nonFiniteInputGradients(s[0], s[1], s[2]);
                if (bad > 0) {
                    return Optional.of("libtorch's CPU convolution returned " + bad + " non-finite input gradients for a "
                            + s[1] + "-channel " + s[2] + "x" + s[2] + " batch of " + s[0] + " (" + ISA_VARIABLE + "="
                            + System.getenv().getOrDefault(ISA_VARIABLE, "unset") + "); training would diverge. Set "
                            + ISA_VARIABLE + "=AVX (./d2c does by default) or SSE41 and restart.");
                }
            }
        }
        return Optional.empty();
    }

    private static int nonFiniteInputGradients(int n, int channels, int size) {
        try (NDManager m = NDManager.newBaseManager(Devices.parse("cpu"))) {
            Conv2d conv = Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1))
                    .setFilters(channels).build();
            Shape in = new Shape(n, channels, size, size);
            conv.initialize(m, DataType.FLOAT32, in);
            NDArray x = m.randomNormal(in);
            x.setRequiresGradient(true);
            try (GradientScope c = GradientScope.open()) {
                NDArray y = conv.forward(new ParameterStore(m, false), new NDList(x), true).singletonOrThrow();
                c.backward(y.mul(y).mean());
            }
            int bad = 0;
            for (float g : x.getGradient().toFloatArray()) {
                if (!Float.isFinite(g)) {
                    bad++;
                }
            }
            return bad;
        }
    }
}
