package lab.d2c.model.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class InceptionScoreTest {

    @Test
    void confidentAndBalancedPredictionsScoreTheClassCount() {
        // one-hot over K classes, each class equally often: KL(p(y|x) || uniform) = ln K, so IS = K
        int k = 5;
        DMatrixRMaj p = new DMatrixRMaj(100, k);
        for (int i = 0; i < 100; i++) {
            p.set(i, i % k, 1.0);
        }
        InceptionScore.Result r = InceptionScore.of(p, 4);
        assertThat(r.mean()).isCloseTo(5.0, within(1e-12));
        assertThat(r.std()).isCloseTo(0.0, within(1e-12));
    }

    @Test
    void identicalPredictionsScoreOne() {
        DMatrixRMaj p = new DMatrixRMaj(10, 3);
        for (int i = 0; i < 10; i++) {
            p.set(i, 0, 0.2);
            p.set(i, 1, 0.3);
            p.set(i, 2, 0.5);
        }
        assertThat(InceptionScore.of(p, 1).mean()).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void matchesTheClosedFormOfATwoPointMixture() {
        // half the rows (q, 1-q), half (1-q, q): marginal (1/2, 1/2), KL = ln 2 + q ln q + (1-q) ln(1-q)
        double q = 0.8;
        DMatrixRMaj p = new DMatrixRMaj(8, 2);
        for (int i = 0; i < 8; i++) {
            p.set(i, 0, i % 2 == 0 ? q : 1 - q);
            p.set(i, 1, i % 2 == 0 ? 1 - q : q);
        }
        double expected = Math.exp(Math.log(2) + q * Math.log(q) + (1 - q) * Math.log(1 - q));
        assertThat(InceptionScore.of(p, 2).mean()).isCloseTo(expected, within(1e-12));
    }

    @Test
    void splitsAreContiguousAndTheirSpreadIsReported() {
        // first half all class 0 (IS 1), second half balanced over 2 classes (IS 2): mean 1.5, std 0.5
        DMatrixRMaj p = new DMatrixRMaj(8, 2);
        for (int i = 0; i < 8; i++) {
            p.set(i, i < 4 ? 0 : i % 2, 1.0);
        }
        InceptionScore.Result r = InceptionScore.of(p, 2);
        assertThat(r.mean()).isCloseTo(1.5, within(1e-12));
        assertThat(r.std()).isCloseTo(0.5, within(1e-12));
        assertThatThrownBy(() -> InceptionScore.of(p, 9)).hasMessageContaining("splits");
    }
}
