package lab.d2c.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.List;
import lab.d2c.model.runtime.Views;
import org.junit.jupiter.api.Test;

class EmaTest {

    @Test
    void followsTheClosedFormOverSeveralSteps() {
        double decay = 0.8;
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = Fixtures.block(manager, 6);
            List<TrainableParameters.Named> params = TrainableParameters.all(block);
            Ema ema = new Ema(block, decay, manager.newSubManager());
            float[][] start = Fixtures.values(params);
            double[][] expected = new double[start.length][];
            for (int p = 0; p < start.length; p++) {
                expected[p] = new double[start[p].length];
                for (int i = 0; i < start[p].length; i++) {
                    expected[p][i] = start[p][i];
                }
            }
            for (int k = 1; k <= 4; k++) {
                try (NDManager step = manager.newSubManager()) {
                    for (TrainableParameters.Named p : params) {
                        NDArray w = Views.detached(step, p.array());
                        w.addi(step.ones(w.getShape()).mul(step.create((float) (0.5 * k))));
                    }
                    ema.update(step);
                }
                float[][] now = Fixtures.values(params);
                for (int p = 0; p < now.length; p++) {
                    for (int i = 0; i < now[p].length; i++) {
                        expected[p][i] = decay * expected[p][i] + (1 - decay) * now[p][i];
                    }
                }
            }
            float[][] shadow = ema.toFloatArrays();
            for (int p = 0; p < shadow.length; p++) {
                for (int i = 0; i < shadow[p].length; i++) {
                    assertThat((double) shadow[p][i]).isCloseTo(expected[p][i], within(1e-5));
                }
            }
            // The shadow lags: it is neither the start nor the current weights.
            assertThat(shadow[0]).isNotEqualTo(start[0]).isNotEqualTo(Fixtures.values(params)[0]);
        }
    }

    @Test
    void copiesIntoAnotherBlockAndRoundTrips() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = Fixtures.block(manager, 7);
            Ema ema = new Ema(block, 0.5, manager.newSubManager());
            try (NDManager step = manager.newSubManager()) {
                for (TrainableParameters.Named p : TrainableParameters.all(block)) {
                    Views.detached(step, p.array()).addi(step.ones(p.array().getShape()));
                }
                ema.update(step);
            }
            Block other = Fixtures.block(manager, 8);
            ema.copyInto(other);
            float[][] copied = Fixtures.values(TrainableParameters.all(other));
            assertThat(copied).isEqualTo(ema.toFloatArrays());
            assertThat(TrainableParameters.all(other).get(0).array().hasGradient()).isTrue();

            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ema.save(new DataOutputStream(bytes));
            Ema fresh = new Ema(other, 0.5, manager.newSubManager());
            fresh.load(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
            assertThat(fresh.toFloatArrays()).isEqualTo(ema.toFloatArrays());
        }
    }
}
