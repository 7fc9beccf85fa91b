package lab.d2c.model.eval;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * The Fréchet distance between two Gaussians (Heusel et al. 2017, the FID):
 * |mu1 - mu2|^2 + tr(S1) + tr(S2) - 2 tr((S1 S2)^(1/2)).
 *
 * <p>The trace of the square root is computed without a general matrix square root: S1 S2 has the
 * eigenvalues of the symmetric positive semi-definite S1^(1/2) S2 S1^(1/2), so tr((S1 S2)^(1/2)) is
 * the sum of their square roots, from two symmetric eigen-decompositions in float64. Eigenvalues
 * that rounding pushed below zero count as zero, so rank-deficient covariances (fewer samples than
 * dimensions) need nothing special. As pytorch-fid does when scipy's sqrtm fails, a decomposition
 * that does not converge or gives non-finite values is retried with {@link #OFFSET} * I added to
 * both covariances, and the result says so.
 */
public final class FrechetDistance {

    /** pytorch-fid's eps for the retry. */
    public static final double OFFSET = 1e-6;

    /** The distance and whether the offset retry was needed. */
    public record Result(double value, boolean offsetUsed) {
    }

    private FrechetDistance() {
    }

    public static Result between(GaussianStats a, GaussianStats b) {
        int d = a.dimension();
        if (b.dimension() != d) {
            throw new IllegalArgumentException("feature dimensions differ: " + d + " and " + b.dimension());
        }
        double meanTerm = 0;
        for (int j = 0; j < d; j++) {
            double diff = a.mean()[j] - b.mean()[j];
            meanTerm += diff * diff;
        }
        double traces = CommonOps_DDRM.trace(a.covariance()) + CommonOps_DDRM.trace(b.covariance());
        double root = traceSqrtProduct(a.covariance(), b.covariance());
        boolean offsetUsed = false;
        if (!Double.isFinite(root)) {
            DMatrixRMaj s1 = a.covariance().copy();
            DMatrixRMaj s2 = b.covariance().copy();
            for (int j = 0; j < d; j++) {
                s1.add(j, j, OFFSET);
                s2.add(j, j, OFFSET);
            }
            root = traceSqrtProduct(s1, s2);
            offsetUsed = true;
            if (!Double.isFinite(root)) {
                throw new ArithmeticException("the covariance square root failed even with an offset of " + OFFSET
                        + " (non-finite features?)");
            }
        }
        return new Result(meanTerm + traces - 2 * root, offsetUsed);
    }

    /** tr((s1 s2)^(1/2)) for symmetric PSD s1, s2; NaN when a decomposition fails. */
    static double traceSqrtProduct(DMatrixRMaj s1, DMatrixRMaj s2) {
        DMatrixRMaj rootS1 = symmetricSqrt(s1);
        if (rootS1 == null) {
            return Double.NaN;
        }
        int d = s1.numRows;
        DMatrixRMaj tmp = new DMatrixRMaj(d, d);
        DMatrixRMaj m = new DMatrixRMaj(d, d);
        CommonOps_DDRM.mult(rootS1, s2, tmp);
        CommonOps_DDRM.mult(tmp, rootS1, m);
        symmetrize(m);
        double[] eigenvalues = symmetricEigenvalues(m);
        if (eigenvalues == null) {
            return Double.NaN;
        }
        double sum = 0;
        for (double lambda : eigenvalues) {
            sum += Math.sqrt(Math.max(lambda, 0));
        }
        return sum;
    }

    /** V diag(sqrt(max(lambda, 0))) V^T, or null when the decomposition fails. */
    static DMatrixRMaj symmetricSqrt(DMatrixRMaj s) {
        if (!allFinite(s)) {
            return null;
        }
        int d = s.numRows;
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, true, true);
        DMatrixRMaj work = s.copy();
        symmetrize(work);
        if (!eig.decompose(work)) {
            return null;
        }
        DMatrixRMaj root = new DMatrixRMaj(d, d);
        for (int k = 0; k < d; k++) {
            double lambda = eig.getEigenvalue(k).getReal();
            DMatrixRMaj v = eig.getEigenVector(k);
            if (v == null || !Double.isFinite(lambda)) {
                return null;
            }
            double r = Math.sqrt(Math.max(lambda, 0));
            if (r == 0) {
                continue;
            }
            for (int i = 0; i < d; i++) {
                double vi = v.data[i] * r;
                for (int j = 0; j < d; j++) {
                    root.data[i * d + j] += vi * v.data[j];
                }
            }
        }
        return allFinite(root) ? root : null;
    }

    private static double[] symmetricEigenvalues(DMatrixRMaj m) {
        if (!allFinite(m)) {
            return null;
        }
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(m.numRows, false, true);
        if (!eig.decompose(m.copy())) {
            return null;
        }
        double[] values = new double[m.numRows];
        for (int k = 0; k < values.length; k++) {
            values[k] = eig.getEigenvalue(k).getReal();
            if (!Double.isFinite(values[k])) {
                return null;
            }
        }
        return values;
    }

    private static void symmetrize(DMatrixRMaj m) {
        int d = m.numRows;
        for (int i = 0; i < d; i++) {
            for (int j = i + 1; j < d; j++) {
                double avg = 0.5 * (m.data[i * d + j] + m.data[j * d + i]);
                m.data[i * d + j] = avg;
                m.data[j * d + i] = avg;
            }
        }
    }

    private static boolean allFinite(DMatrixRMaj m) {
        for (double v : m.data) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }
}
