package lab.d2c.model.nn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConvStackTest {

    @Test
    void nearestUpsampleRepeatsEachPixelTwiceAlongBothAxes() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.arange(4f).reshape(1, 1, 2, 2);
            assertThat(Upsample.nearest2x(x).toFloatArray())
                    .containsExactly(0, 0, 1, 1, 0, 0, 1, 1, 2, 2, 3, 3, 2, 2, 3, 3);
        }
    }

    @Test
    void encoderShrinksByTwoPerExtraLevelAndDecoderMirrorsIt() {
        try (NDManager m = NDManager.newBaseManager()) {
            ConvEncoder encoder = new ConvEncoder(1, 8, List.of(1, 2, 2), 1, 16);
            ConvDecoder decoder = new ConvDecoder(16, 8, List.of(1, 2, 2), 1, 3);
            Shape in = new Shape(2, 1, 32, 32);
            encoder.initialize(m, DataType.FLOAT32, in);
            Shape latent = encoder.getOutputShapes(new Shape[] {in})[0];
            assertThat(latent).isEqualTo(new Shape(2, 16, 8, 8));
            assertThat(encoder.stride()).isEqualTo(4);
            decoder.initialize(m, DataType.FLOAT32, latent);
            ParameterStore store = new ParameterStore(m, false);
            NDArray z = encoder.forward(store, new NDList(m.randomNormal(in)), false).singletonOrThrow();
            assertThat(z.getShape()).isEqualTo(latent);
            NDArray y = decoder.forward(store, new NDList(z), false).singletonOrThrow();
            assertThat(y.getShape()).isEqualTo(new Shape(2, 3, 32, 32));
            assertThat(new Downsample(4).getOutputShapes(new Shape[] {new Shape(1, 4, 6, 6)})[0])
                    .isEqualTo(new Shape(1, 4, 3, 3));
        }
    }
}
