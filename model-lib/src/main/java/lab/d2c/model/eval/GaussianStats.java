package lab.d2c.model.eval;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import lab.d2c.model.data.Npy;
import org.ejml.data.DMatrixRMaj;

/**
 * The Gaussian fit of a feature set that FID compares: the mean and the unbiased covariance
 * (numpy's {@code np.cov(features, rowvar=False)}, as pytorch-fid), in float64.
 *
 * @param mean       [d]
 * @param covariance [d, d], symmetric
 * @param count      how many feature vectors were fitted
 */
public record GaussianStats(double[] mean, DMatrixRMaj covariance, int count) {

    public GaussianStats {
        if (covariance.numRows != mean.length || covariance.numCols != mean.length) {
            throw new IllegalArgumentException("covariance is " + covariance.numRows + "x" + covariance.numCols
                    + " for a mean of " + mean.length);
        }
    }

    /** Fits features [n, d] (n >= 2). */
    public static GaussianStats of(DMatrixRMaj features) {
        int n = features.numRows;
        int d = features.numCols;
        if (n < 2) {
            throw new IllegalArgumentException("need at least 2 feature vectors for a covariance, got " + n);
        }
        double[] mean = new double[d];
        double[] x = features.data;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                mean[j] += x[i * d + j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        DMatrixRMaj centered = new DMatrixRMaj(n, d);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                centered.data[i * d + j] = x[i * d + j] - mean[j];
            }
        }
        DMatrixRMaj covariance = new DMatrixRMaj(d, d);
        org.ejml.dense.row.CommonOps_DDRM.multTransA(centered, centered, covariance);
        org.ejml.dense.row.CommonOps_DDRM.scale(1.0 / (n - 1), covariance);
        return new GaussianStats(mean, covariance, n);
    }

    public int dimension() {
        return mean.length;
    }

    /** Writes the mean as .npy float64 [d] (numpy reads it with {@code np.load}). */
    public void writeMean(OutputStream out) throws IOException {
        Npy.writeFloat64(out, mean, mean.length);
    }

    /** Writes the covariance as .npy float64 [d, d]. */
    public void writeCovariance(OutputStream out) throws IOException {
        Npy.writeFloat64(out, covariance.data, mean.length, mean.length);
    }

    /** Reads what {@link #writeMean} and {@link #writeCovariance} wrote. */
    public static GaussianStats read(InputStream mean, InputStream covariance, int count) throws IOException {
        Npy.Array m = Npy.read(mean);
        Npy.Array c = Npy.read(covariance);
        if (m.shape().length != 1 || c.shape().length != 2 || c.shape()[0] != m.shape()[0]
                || c.shape()[1] != m.shape()[0]) {
            throw new IOException("statistics shapes do not match: mean " + java.util.Arrays.toString(m.shape())
                    + ", covariance " + java.util.Arrays.toString(c.shape()));
        }
        int d = m.shape()[0];
        return new GaussianStats(m.asDoubles(), DMatrixRMaj.wrap(d, d, c.asDoubles()), count);
    }
}
