package lab.d2c.model.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import lab.d2c.model.nn.FiniteDifferences;
import org.junit.jupiter.api.Test;

class StraightThroughTest {

    @Test
    void forwardIsTheQuantizedValueAndTheGradientOfSumWQIsW() {
        try (NDManager m = NDManager.newBaseManager()) {
            Shape shape = new Shape(3, 5);
            NDArray z = FiniteDifferences.random(m, shape, 1);
            NDArray e = FiniteDifferences.random(m, shape, 2);
            NDArray w = FiniteDifferences.random(m, shape, 3);
            z.setRequiresGradient(true);
            e.setRequiresGradient(true);
            NDArray out;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                out = StraightThrough.estimate(z, e);
                gc.backward(out.mul(w).sum());
            }
            assertThat(out.toDoubleArray()).containsExactly(e.toDoubleArray(), org.assertj.core.data.Offset.offset(1e-12));
            assertThat(z.getGradient().toDoubleArray()).containsExactly(w.toDoubleArray());
            assertThat(e.getGradient().toType(ai.djl.ndarray.types.DataType.FLOAT64, false).toDoubleArray()).containsOnly(0.0);
        }
    }
}
