package lab.d2c.model.nn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.util.function.Function;

/** Checks a parameter's autograd gradient against central differences (float64). */
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
}
