package lab.d2c.model.nn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ResnetBlockTest {

    @Test
    void skipIsAConvOnlyWhenWidthsDiffer() {
        assertThat(new ResnetBlock(4, 8).hasShortcutConv()).isTrue();
        assertThat(new ResnetBlock(8, 8).hasShortcutConv()).isFalse();
    }

    @Test
    void gradientsMatchCentralDifferences() {
        Engine.getInstance().setRandomSeed(5);
        Shape shape = new Shape(2, 4, 4, 4);
        try (NDManager m = NDManager.newBaseManager()) {
            ResnetBlock block = new ResnetBlock(4, 6);
            block.initialize(m, DataType.FLOAT64, shape);
            NDArray x = FiniteDifferences.random(m, shape, 11);
            NDArray w = FiniteDifferences.random(m, block.getOutputShapes(new Shape[] {shape})[0], 12);
            ParameterStore store = new ParameterStore(m, false);
            Function<NDArray, NDArray> loss =
                    in -> block.forward(store, new NDList(in), true).singletonOrThrow().mul(w).sum();

            int[] idx = FiniteDifferences.all(shape.size());
            double[] analytic = FiniteDifferences.autograd(m, x, loss);
            double[] numeric = FiniteDifferences.gradient(x.toDoubleArray(), idx,
                    v -> loss.apply(m.create(v, shape)).getDouble());
            assertThat(FiniteDifferences.relativeError(analytic, numeric)).isLessThan(1e-7);

            for (Parameter p : block.getParameters().values()) {
                int[] some = FiniteDifferences.strided(p.getArray().size(), 7, 1 % (int) p.getArray().size());
                ParamGradients.check(m, block, loss, x, p, some, 1e-7);
            }
        }
    }
}
