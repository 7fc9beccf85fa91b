package lab.d2c.model.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.junit.jupiter.api.Test;

class ScalarsTest {

    @Test
    void scalarsAreZeroDimensionalOnTheManagersDevice() {
        try (NDManager manager = NDManager.newBaseManager(Devices.parse("cpu"))) {
            NDArray two = Scalars.of(manager, 2);
            assertThat(two.getShape().dimension()).isZero();
            assertThat(two.getDataType()).isEqualTo(DataType.FLOAT32);
            assertThat(two.getDevice()).isEqualTo(manager.getDevice());
            NDArray x = manager.create(new float[] {1, 2, 3});
            assertThat(Scalars.mul(manager, x, 2).toFloatArray()).containsExactly(2, 4, 6);
            assertThat(Scalars.add(manager, x, 0.5).toFloatArray()).containsExactly(1.5f, 2.5f, 3.5f);
            assertThat(Scalars.div(manager, x, 2).toFloatArray()).containsExactly(0.5f, 1, 1.5f);
            assertThat(Scalars.like(manager, x.toType(DataType.FLOAT64, false), 1).getDataType())
                    .isEqualTo(DataType.FLOAT64);
        }
    }
}
