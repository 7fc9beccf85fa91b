package lab.d2c.model.eval;

import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * Improved precision and recall (Kynkäänniemi et al. 2019): each set's manifold is the union of
 * balls around its points with radius the distance to the k-th nearest other point of the set
 * (k = 3 by default). Precision = the share of generated points inside the real manifold; recall =
 * the share of real points inside the generated manifold. Distances are Euclidean in float64,
 * computed in row blocks so memory stays O(block x n).
 */
public final class PrecisionRecall {

    /** The paper's neighbourhood size. */
    public static final int DEFAULT_K = 3;

    private static final int BLOCK = 256;

    public record Result(double precision, double recall, int k) {
    }

    private PrecisionRecall() {
    }

    /** Precision and recall of {@code generated} [m, d] against {@code real} [n, d]. */
    public static Result of(DMatrixRMaj real, DMatrixRMaj generated, int k) {
        if (real.numCols != generated.numCols) {
            throw new IllegalArgumentException("feature dimensions differ: " + real.numCols + " and "
                    + generated.numCols);
        }
        if (k < 1 || real.numRows <= k || generated.numRows <= k) {
            throw new IllegalArgumentException("k must be >= 1 and below both set sizes (" + real.numRows + ", "
                    + generated.numRows + "), got " + k);
        }
        double[] realRadii = kthNeighbourDistances(real, k);
        double[] generatedRadii = kthNeighbourDistances(generated, k);
        return new Result(coveredShare(generated, real, realRadii), coveredShare(real, generated, generatedRadii), k);
    }

    /** Squared distance from each row to its k-th nearest other row of the same set. */
    static double[] kthNeighbourDistances(DMatrixRMaj set, int k) {
        int n = set.numRows;
        double[] norms = squaredNorms(set);
        double[] radii = new double[n];
        for (int from = 0; from < n; from += BLOCK) {
            int to = Math.min(n, from + BLOCK);
            DMatrixRMaj d2 = squaredDistances(set, from, to, norms, set, norms);
            double[] row = new double[n];
            for (int i = from; i < to; i++) {
                System.arraycopy(d2.data, (i - from) * n, row, 0, n);
                row[i] = Double.POSITIVE_INFINITY;
                Arrays.sort(row);
                radii[i] = row[k - 1];
            }
        }
        return radii;
    }

    /** The share of {@code points} within radius of some row of {@code manifold}. */
    static double coveredShare(DMatrixRMaj points, DMatrixRMaj manifold, double[] radii) {
        double[] pointNorms = squaredNorms(points);
        double[] manifoldNorms = squaredNorms(manifold);
        int n = manifold.numRows;
        int covered = 0;
        for (int from = 0; from < points.numRows; from += BLOCK) {
            int to = Math.min(points.numRows, from + BLOCK);
            DMatrixRMaj d2 = squaredDistances(points, from, to, pointNorms, manifold, manifoldNorms);
            for (int i = 0; i < to - from; i++) {
                for (int j = 0; j < n; j++) {
                    if (d2.data[i * n + j] <= radii[j]) {
                        covered++;
                        break;
                    }
                }
            }
        }
        return covered / (double) points.numRows;
    }

    /** |a_i - b_j|^2 for rows i in [from, to) of a and all rows of b, clamped at 0. */
    private static DMatrixRMaj squaredDistances(DMatrixRMaj a, int from, int to, double[] aNorms, DMatrixRMaj b,
            double[] bNorms) {
        DMatrixRMaj block = CommonOps_DDRM.extract(a, from, to, 0, a.numCols);
        DMatrixRMaj dot = new DMatrixRMaj(to - from, b.numRows);
        CommonOps_DDRM.multTransB(block, b, dot);
        for (int i = 0; i < to - from; i++) {
            for (int j = 0; j < b.numRows; j++) {
                int at = i * b.numRows + j;
                dot.data[at] = Math.max(0, aNorms[from + i] + bNorms[j] - 2 * dot.data[at]);
            }
        }
        return dot;
    }

    private static double[] squaredNorms(DMatrixRMaj m) {
        double[] norms = new double[m.numRows];
        for (int i = 0; i < m.numRows; i++) {
            double s = 0;
            for (int j = 0; j < m.numCols; j++) {
                double v = m.data[i * m.numCols + j];
                s += v * v;
            }
            norms[i] = s;
        }
        return norms;
    }
}
