package lab.d2c.model.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.io.OutputStream;
import java.util.function.BiFunction;
import lab.d2c.model.data.Npy;
import org.ejml.data.DMatrixRMaj;

/**
 * The features [n, d] and class probabilities [n, K] of a set of images, in float64, gathered
 * batch by batch through a {@link FeatureExtractor}.
 *
 * @param features      [n, d]
 * @param probabilities [n, K] softmax of the logits; null when the extractor has none
 */
public record FeatureSet(DMatrixRMaj features, DMatrixRMaj probabilities) {

    /** Progress while extracting: images done of total. */
    public interface Progress {
        void update(int done, int total);
    }

    /**
     * Runs the extractor over {@code count} images that {@code batches} yields as [B, C, H, W] in
     * [-1, 1] for the range [from, to), on {@code manager}.
     */
    public static FeatureSet extract(FeatureExtractor extractor, NDManager manager, int count, int batchSize,
            BiFunction<NDManager, int[], NDArray> batches, Progress progress) {
        DMatrixRMaj features = null;
        DMatrixRMaj probabilities = null;
        for (int from = 0; from < count; from += batchSize) {
            int to = Math.min(count, from + batchSize);
            try (NDManager scope = manager.newSubManager()) {
                NDArray images = batches.apply(scope, new int[] {from, to});
                FeatureExtractor.Extracted out = extractor.extract(images);
                double[] f = out.features().toType(DataType.FLOAT64, false).toDoubleArray();
                int d = (int) out.features().getShape().get(1);
                if (features == null) {
                    features = new DMatrixRMaj(count, d);
                }
                System.arraycopy(f, 0, features.data, from * d, f.length);
                if (out.logits() != null) {
                    NDArray p = out.logits().toType(DataType.FLOAT64, false).softmax(1);
                    int k = (int) p.getShape().get(1);
                    if (probabilities == null) {
                        probabilities = new DMatrixRMaj(count, k);
                    }
                    double[] pd = p.toDoubleArray();
                    System.arraycopy(pd, 0, probabilities.data, from * k, pd.length);
                }
            }
            if (progress != null) {
                progress.update(to, count);
            }
        }
        if (features == null) {
            throw new IllegalArgumentException("no images to extract features from");
        }
        return new FeatureSet(features, probabilities);
    }

    public int count() {
        return features.numRows;
    }

    /** Features written by {@link #writeFeatures}, as float64 [n, d]. */
    public static DMatrixRMaj readFeatures(java.io.InputStream in) throws IOException {
        Npy.Array a = Npy.read(in);
        if (a.shape().length != 2) {
            throw new IOException("features must be a 2-D array, got shape " + java.util.Arrays.toString(a.shape()));
        }
        float[] f = a.asFloats();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return DMatrixRMaj.wrap(a.shape()[0], a.shape()[1], d);
    }

    /** The features as .npy float32 [n, d] (what users load with numpy). */
    public void writeFeatures(OutputStream out) throws IOException {
        float[] f = new float[features.numRows * features.numCols];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) features.data[i];
        }
        Npy.writeFloat32(out, f, features.numRows, features.numCols);
    }
}
