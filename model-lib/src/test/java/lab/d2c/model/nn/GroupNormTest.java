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
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GroupNormTest {

    private static final Shape SHAPE = new Shape(2, 4, 3, 3);

    @Test
    void normalizesEachGroupToZeroMeanUnitVariance() {
        try (NDManager m = NDManager.newBaseManager()) {
            GroupNorm norm = new GroupNorm(2, 4);
            norm.initialize(m, DataType.FLOAT64, SHAPE);
            NDArray x = FiniteDifferences.random(m, SHAPE, 1).mul(m.full(new Shape(), 3f, DataType.FLOAT64)).add(m.full(new Shape(), 5f, DataType.FLOAT64));
            NDArray y = norm.forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow();
            NDArray grouped = y.reshape(2, 2, -1);
            double[] means = grouped.mean(new int[] {2}).toDoubleArray();
            double[] vars = grouped.sub(grouped.mean(new int[] {2}, true)).square().mean(new int[] {2}).toDoubleArray();
            for (int i = 0; i < means.length; i++) {
                assertThat(means[i]).isCloseTo(0, org.assertj.core.data.Offset.offset(1e-9));
                assertThat(vars[i]).isCloseTo(1, org.assertj.core.data.Offset.offset(1e-5));
            }
        }
    }

    @Test
    void groupsForFollowsLdmWhereTheWidthAllows() {
        assertThat(GroupNorm.groupsFor(128)).isEqualTo(32);
        assertThat(GroupNorm.groupsFor(16)).isEqualTo(16);
        assertThat(GroupNorm.groupsFor(48)).isEqualTo(24);
        assertThat(GroupNorm.groupsFor(1)).isEqualTo(1);
    }

    @Test
    void gradientsMatchCentralDifferences() {
        Engine.getInstance().setRandomSeed(3);
        try (NDManager m = NDManager.newBaseManager()) {
            GroupNorm norm = new GroupNorm(2, 4);
            norm.initialize(m, DataType.FLOAT64, SHAPE);
            Parameter gamma = norm.getParameters().get("gamma");
            Parameter beta = norm.getParameters().get("beta");
            gamma.getArray().set(FiniteDifferences.random(m, new Shape(4), 7).toDoubleArray());
            beta.getArray().set(FiniteDifferences.random(m, new Shape(4), 8).toDoubleArray());
            NDArray x = FiniteDifferences.random(m, SHAPE, 2);
            NDArray w = FiniteDifferences.random(m, SHAPE, 4);
            ParameterStore store = new ParameterStore(m, false);
            java.util.function.Function<NDArray, NDArray> loss =
                    in -> norm.forward(store, new NDList(in), true).singletonOrThrow().mul(w).sum();

            int[] idx = FiniteDifferences.all(SHAPE.size());
            double[] analytic = FiniteDifferences.autograd(m, x, loss);
            double[] numeric = FiniteDifferences.gradient(x.toDoubleArray(), idx,
                    v -> loss.apply(m.create(v, SHAPE)).getDouble());
            assertThat(FiniteDifferences.relativeError(analytic, numeric)).isLessThan(1e-7);

            ParamGradients.check(m, norm, loss, x, gamma, 1e-7);
            ParamGradients.check(m, norm, loss, x, beta, 1e-7);
        }
    }
}
