package lab.d2c.model.train;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;

/** y = sin(x0) + 0.5 x1 x2 + 0.3 x3 on standard-normal x in R^8. */
final class SyntheticRegression implements BatchSource {

    private final int n;
    private final float[] x;
    private final float[] y;

    SyntheticRegression(int n, long seed) {
        this.n = n;
        this.x = new float[n * TinyMlp.INPUTS];
        this.y = new float[n];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < TinyMlp.INPUTS; k++) {
                x[i * TinyMlp.INPUTS + k] = (float) (r.nextDouble() * 2 - 1) * 1.7f;
            }
            float[] xi = java.util.Arrays.copyOfRange(x, i * TinyMlp.INPUTS, (i + 1) * TinyMlp.INPUTS);
            y[i] = (float) (Math.sin(xi[0]) + 0.5 * xi[1] * xi[2] + 0.3 * xi[3]);
        }
    }

    @Override
    public int size() {
        return n;
    }

    @Override
    public NDList batch(NDManager manager, int[] indices) {
        float[] bx = new float[indices.length * TinyMlp.INPUTS];
        float[] by = new float[indices.length];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(x, indices[i] * TinyMlp.INPUTS, bx, i * TinyMlp.INPUTS, TinyMlp.INPUTS);
            by[i] = y[indices[i]];
        }
        return new NDList(manager.create(bx, new Shape(indices.length, TinyMlp.INPUTS)),
                manager.create(by, new Shape(indices.length, 1)));
    }
}
