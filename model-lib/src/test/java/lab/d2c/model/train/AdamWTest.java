package lab.d2c.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.List;
import lab.d2c.model.runtime.Scalars;
import org.junit.jupiter.api.Test;

class AdamWTest {

    private static final double LR = 0.01;
    private static final double WD = 0.1;
    private static final double B1 = 0.9;
    private static final double B2 = 0.95;
    private static final double EPS = 1e-8;

    @Test
    void twoStepsMatchTheClosedForm() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = Fixtures.block(manager, 1);
            List<TrainableParameters.Named> params = TrainableParameters.trainable(block);
            AdamW adam = AdamW.builder().setBlock(block).setManager(manager.newSubManager()).optBetas(B1, B2)
                    .optEps(EPS).optWeightDecay(WD).build();
            double[][] m = new double[params.size()][];
            double[][] v = new double[params.size()][];
            for (int t = 1; t <= 2; t++) {
                try (NDManager step = manager.newSubManager()) {
                    NDArray x = Fixtures.input(step, t);
                    NDArray target = Fixtures.input(step, 10 * t).get(":, :3");
                    Fixtures.backward(step, block, x, out -> out.sub(target).square().mean());
                    float[][] w = Fixtures.values(params);
                    float[][] g = Fixtures.gradients(step, params);
                    adam.step(step, LR);
                    float[][] after = Fixtures.values(params);
                    for (int p = 0; p < params.size(); p++) {
                        if (m[p] == null) {
                            m[p] = new double[w[p].length];
                            v[p] = new double[w[p].length];
                        }
                        boolean decays = params.get(p).array().getShape().dimension() >= 2;
                        for (int i = 0; i < w[p].length; i++) {
                            m[p][i] = B1 * m[p][i] + (1 - B1) * g[p][i];
                            v[p][i] = B2 * v[p][i] + (1 - B2) * g[p][i] * g[p][i];
                            double mHat = m[p][i] / (1 - Math.pow(B1, t));
                            double vHat = v[p][i] / (1 - Math.pow(B2, t));
                            double expected = w[p][i] * (decays ? 1 - LR * WD : 1)
                                    - LR * mHat / (Math.sqrt(vHat) + EPS);
                            assertThat((double) after[p][i]).as("step %d, %s[%d]", t, params.get(p).name(), i)
                                    .isCloseTo(expected, within(2e-6));
                        }
                    }
                }
            }
            assertThat(adam.stepCount()).isEqualTo(2);
        }
    }

    @Test
    void decayTouchesOnlyRankTwoParameters() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = Fixtures.block(manager, 2);
            List<TrainableParameters.Named> params = TrainableParameters.trainable(block);
            AdamW adam = AdamW.builder().setBlock(block).setManager(manager.newSubManager()).optWeightDecay(WD)
                    .build();
            assertThat(adam.decayedParameters()).hasSize(1).allMatch(n -> n.endsWith("weight"));
            assertThat(params).hasSize(4); // linear weight + bias, norm gamma + beta
            try (NDManager step = manager.newSubManager()) {
                NDArray x = Fixtures.input(step, 0);
                // A zero gradient leaves only the decay: Adam's step is 0 / (0 + eps) = 0.
                Fixtures.backward(step, block, x, out -> out.sub(out).sum());
                float[][] before = Fixtures.values(params);
                adam.step(step, LR);
                float[][] after = Fixtures.values(params);
                float factor = (float) (1 - LR * WD);
                for (int p = 0; p < params.size(); p++) {
                    if (params.get(p).array().getShape().dimension() >= 2) {
                        for (int i = 0; i < before[p].length; i++) {
                            assertThat(after[p][i]).isEqualTo(before[p][i] * factor);
                        }
                    } else {
                        assertThat(after[p]).as(params.get(p).name()).isEqualTo(before[p]);
                    }
                }
            }
        }
        assertThat(AdamW.DecayRule.matricesOnly().decays("w", new Shape(3, 4))).isTrue();
        assertThat(AdamW.DecayRule.matricesOnly().decays("conv", new Shape(8, 3, 3, 3))).isTrue();
        assertThat(AdamW.DecayRule.matricesOnly().decays("bias", new Shape(3))).isFalse();
        assertThat(AdamW.DecayRule.matricesOnly().decays("gamma", new Shape(3))).isFalse();
    }

    @Test
    void stateRoundTripsExactly() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block a = Fixtures.block(manager, 3);
            Block b = Fixtures.block(manager, 3);
            AdamW adamA = AdamW.builder().setBlock(a).setManager(manager).optWeightDecay(WD).build();
            AdamW adamB = AdamW.builder().setBlock(b).setManager(manager).optWeightDecay(WD).build();
            try (NDManager step = manager.newSubManager()) {
                Fixtures.backward(step, a, Fixtures.input(step, 1), out -> Scalars.mul(step, out.sum(), 3));
                adamA.step(step, LR);
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            adamA.save(new DataOutputStream(bytes));
            adamB.load(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
            assertThat(adamB.stepCount()).isEqualTo(1);
            ByteArrayOutputStream again = new ByteArrayOutputStream();
            adamB.save(new DataOutputStream(again));
            assertThat(again.toByteArray()).isEqualTo(bytes.toByteArray());
        }
    }
}
