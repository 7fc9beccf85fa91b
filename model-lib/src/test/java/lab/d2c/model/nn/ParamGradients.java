package lab.d2c.model.nn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.util.Pair;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Checks a parameter's autograd gradient against central differences (float64), and compares two ways of
 * computing one loss: its value and every parameter's gradient.
 */
public final class ParamGradients {

    private ParamGradients() {
    }

    public static void check(NDManager m, Block block, Function<NDArray, NDArray> loss, NDArray x, Parameter p,
            double tolerance) {
        check(m, block, loss, x, p, FiniteDifferences.all(p.getArray().size()), tolerance);
    }

    public static void check(NDManager m, Block block, Function<NDArray, NDArray> loss, NDArray x, Parameter p,
            int[] indices, double tolerance) {
        NDArray array = p.getArray();
        double[] analytic;
        try (NDManager scratch = m.newSubManager()) {
            NDArray input = x.duplicate();
            input.attach(scratch);
            NDArray grad = array.getGradient();
            grad.subi(grad);
            grad.close();
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(loss.apply(input));
            }
            NDArray g = array.getGradient();
            analytic = FiniteDifferences.pick(g.toDoubleArray(), indices);
            g.close();
        }
        double[] numeric = FiniteDifferences.gradientInPlace(array, indices, a -> loss.apply(x).getDouble());
        assertThat(FiniteDifferences.relativeError(analytic, numeric)).as("gradient of %s", p.getName())
                .isLessThan(tolerance);
    }

    /** A loss's value and every parameter's gradient (by parameter name, in registration order). */
    public record Computed(double loss, Map<String, float[]> gradients) {
    }

    /**
     * Runs {@code loss} once under a gradient collector with every parameter of {@code block} requiring a
     * gradient, and returns its value and the gradients; the gradients are zeroed afterwards, so a second
     * call starts from nothing.
     */
    public static Computed of(Block block, Supplier<NDArray> loss) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            p.getValue().getArray().setRequiresGradient(true);
        }
        double value;
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray l = loss.get();
            value = l.getDataType() == ai.djl.ndarray.types.DataType.FLOAT64 ? l.getDouble() : l.getFloat();
            collector.backward(l);
        }
        Map<String, float[]> gradients = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            NDArray g = p.getValue().getArray().getGradient();
            gradients.put(p.getKey(), g.toFloatArray());
            g.subi(g);
            g.close();
        }
        return new Computed(value, gradients);
    }

    /**
     * The same loss up to {@code tolerance} relative to its size, and for each parameter the same gradient up to
     * {@code tolerance} times the largest magnitude of that parameter's expected gradient (a float32 rounding
     * difference moves a small entry by the size of a large one's last bit). A gradient that is zero in one and
     * not in the other fails.
     */
    public static void assertSame(Computed expected, Computed actual, double tolerance) {
        assertThat(actual.loss()).as("loss").isCloseTo(expected.loss(),
                org.assertj.core.data.Offset.offset(tolerance * Math.max(1e-12, Math.abs(expected.loss()))));
        assertThat(actual.gradients().keySet()).as("parameters").containsExactlyElementsOf(
                expected.gradients().keySet());
        for (Map.Entry<String, float[]> e : expected.gradients().entrySet()) {
            float[] want = e.getValue();
            float[] got = actual.gradients().get(e.getKey());
            assertThat(got).as("gradient of %s: size", e.getKey()).hasSize(want.length);
            double scale = 0;
            for (float v : want) {
                scale = Math.max(scale, Math.abs(v));
            }
            double worst = 0;
            for (int i = 0; i < want.length; i++) {
                worst = Math.max(worst, Math.abs(got[i] - want[i]));
            }
            if (scale == 0) {
                assertThat(worst).as("gradient of %s: zero in the reference", e.getKey()).isZero();
            } else {
                assertThat(worst / scale).as("gradient of %s: largest difference / largest entry", e.getKey())
                        .isLessThan(tolerance);
            }
        }
    }
}
