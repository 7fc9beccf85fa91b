package lab.d2c.model.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * The sum of a CPU gradient's squared elements in double precision, in one fixed order of additions, for gradient
 * clipping's global norm ({@link GradientClipping#norm}).
 *
 * <p>Why not libtorch's ops: {@code square().sum()} writes a fresh square of every gradient before summing it, a
 * whole extra copy of the gradients each step (1 GiB at the b width: BENCHMARKS.md, engine), and the {@code norm} op
 * accumulates in float32 (0.1% off over 20 M normal draws, docs/djl-pitfalls.md, pitfall 18). PyTorch's
 * {@code clip_grad_norm_} (torch/nn/utils/clip_grad.py) also reduces each gradient without a temporary.
 *
 * <p>Here each float, converted to double, squares exactly (24-bit significands), so only the additions round, and
 * they run in one order: eight running sums over the elements {@code i = j mod 8} of each full block of eight, the
 * tail into the first, then {@code ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))}. The native kernel
 * ({@link FusedKernels#sumSquares}) and the Java loop here add in that order, so they give the same bits and a run
 * without the native library trains to the same numbers; neither depends on the thread count.
 */
final class SumOfSquares {

    private SumOfSquares() {
    }

    /** Whether {@link #of} takes {@code gradient}: a CPU array (any other device keeps libtorch's ops). */
    static boolean handles(NDArray gradient) {
        return Device.cpu().equals(gradient.getDevice());
    }

    /** The sum of {@code gradient}'s squared elements (a CPU array, converted to float32 first if it is not). */
    static double of(NDArray gradient) {
        if (!handles(gradient)) {
            throw new IllegalArgumentException("SumOfSquares reads CPU arrays; this one is on " + gradient.getDevice());
        }
        NDArray g = gradient.getDataType() == DataType.FLOAT32 ? gradient : gradient.toType(DataType.FLOAT32, false);
        long at = FusedKernels.loaded() ? FusedKernels.address(g) : 0;
        if (at != 0) {
            return FusedKernels.sumSquares(at, g.size());
        }
        // the tensor's own memory where it is contiguous, else DJL's contiguous copy: read either way
        return java(g.toByteBuffer(true).order(ByteOrder.nativeOrder()).asFloatBuffer());
    }

    /** The Java loop: {@code g}'s elements from its position to its limit, in the kernel's order of additions. */
    static double java(FloatBuffer g) {
        int base = g.position();
        int n = g.remaining();
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        double s4 = 0;
        double s5 = 0;
        double s6 = 0;
        double s7 = 0;
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            int at = base + i;
            double x0 = g.get(at);
            double x1 = g.get(at + 1);
            double x2 = g.get(at + 2);
            double x3 = g.get(at + 3);
            double x4 = g.get(at + 4);
            double x5 = g.get(at + 5);
            double x6 = g.get(at + 6);
            double x7 = g.get(at + 7);
            s0 += x0 * x0;
            s1 += x1 * x1;
            s2 += x2 * x2;
            s3 += x3 * x3;
            s4 += x4 * x4;
            s5 += x5 * x5;
            s6 += x6 * x6;
            s7 += x7 * x7;
        }
        for (; i < n; i++) {
            double x = g.get(base + i);
            s0 += x * x;
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }
}
