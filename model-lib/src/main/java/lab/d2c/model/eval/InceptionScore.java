package lab.d2c.model.eval;

import org.ejml.data.DMatrixRMaj;

/**
 * The Inception Score (Salimans et al. 2016) of class probabilities p(y|x) [n, K]:
 * exp(E_x KL(p(y|x) || p(y))), computed on {@code splits} contiguous parts of n / splits rows each
 * (the last n mod splits rows unused), reported as the mean and population standard deviation over
 * the parts, as the reference implementation and torch-fidelity do.
 */
public final class InceptionScore {

    /** The mean and standard deviation over splits. */
    public record Result(double mean, double std, int splits) {
    }

    private InceptionScore() {
    }

    public static Result of(DMatrixRMaj probabilities, int splits) {
        int n = probabilities.numRows;
        int k = probabilities.numCols;
        if (splits < 1 || n / splits < 1) {
            throw new IllegalArgumentException("splits must be in [1, " + n + "] for " + n + " rows, got " + splits);
        }
        int per = n / splits;
        double[] scores = new double[splits];
        double[] p = probabilities.data;
        for (int s = 0; s < splits; s++) {
            double[] marginal = new double[k];
            for (int i = s * per; i < (s + 1) * per; i++) {
                for (int c = 0; c < k; c++) {
                    marginal[c] += p[i * k + c];
                }
            }
            for (int c = 0; c < k; c++) {
                marginal[c] /= per;
            }
            double kl = 0;
            for (int i = s * per; i < (s + 1) * per; i++) {
                for (int c = 0; c < k; c++) {
                    double pc = p[i * k + c];
                    if (pc > 0) {
                        kl += pc * (Math.log(pc) - Math.log(marginal[c]));
                    }
                }
            }
            scores[s] = Math.exp(kl / per);
        }
        double mean = 0;
        for (double v : scores) {
            mean += v;
        }
        mean /= splits;
        double var = 0;
        for (double v : scores) {
            var += (v - mean) * (v - mean);
        }
        return new Result(mean, Math.sqrt(var / splits), splits);
    }
}
