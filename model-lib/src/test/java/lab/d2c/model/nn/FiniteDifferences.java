package lab.d2c.model.nn;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Central finite differences for gradient checks, in float64 (DJL's PyTorch engine runs float64 on
 * CPU, convolutions included), so a step of 1e-6 gives errors near 1e-9.
 */
public final class FiniteDifferences {

    public static final double STEP = 1e-6;

    private FiniteDifferences() {
    }

    /** (f(x + h e_i) - f(x - h e_i)) / 2h for each listed flat index i; {@code x} is restored after each probe. */
    public static double[] gradient(double[] x, int[] indices, ToDoubleFunction<double[]> f) {
        double[] g = new double[indices.length];
        for (int k = 0; k < indices.length; k++) {
            int i = indices[k];
            double keep = x[i];
            x[i] = keep + STEP;
            double plus = f.applyAsDouble(x);
            x[i] = keep - STEP;
            double minus = f.applyAsDouble(x);
            x[i] = keep;
            g[k] = (plus - minus) / (2 * STEP);
        }
        return g;
    }

    /** Central differences with respect to an array's own values (e.g. a parameter), set in place and restored. */
    public static double[] gradientInPlace(NDArray array, int[] indices, ToDoubleFunction<NDArray> f) {
        double[] values = array.toDoubleArray();
        double[] g = gradient(values, indices, v -> {
            array.set(v);
            return f.applyAsDouble(array);
        });
        array.set(values);
        return g;
    }

    /** Gradient of the scalar {@code loss(x)} with respect to a fresh copy of {@code x}, by autograd. */
    public static double[] autograd(NDManager manager, NDArray x, Function<NDArray, NDArray> loss) {
        try (NDManager scratch = manager.newSubManager()) {
            NDArray input = x.duplicate();
            input.attach(scratch);
            input.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(loss.apply(input));
            }
            // an input the loss does not reach gets a float32 zero gradient from DJL, hence the cast
            return input.getGradient().toType(ai.djl.ndarray.types.DataType.FLOAT64, false).toDoubleArray();
        }
    }

    /** Uniform [-1, 1) float64 values from a seed. */
    public static NDArray random(NDManager m, ai.djl.ndarray.types.Shape shape, long seed) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        double[] v = new double[Math.toIntExact(shape.size())];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextDouble() * 2 - 1;
        }
        return m.create(v, shape);
    }

    /** All indices 0..n-1. */
    public static int[] all(long n) {
        int[] idx = new int[Math.toIntExact(n)];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        return idx;
    }

    /** Every {@code every}-th index below n, starting at {@code offset}. */
    public static int[] strided(long n, int every, int offset) {
        int count = (int) ((n - offset + every - 1) / every);
        int[] idx = new int[count];
        for (int k = 0; k < count; k++) {
            idx[k] = offset + k * every;
        }
        return idx;
    }

    /** values[indices[k]] for each k. */
    public static double[] pick(double[] values, int[] indices) {
        double[] out = new double[indices.length];
        for (int k = 0; k < indices.length; k++) {
            out[k] = values[indices[k]];
        }
        return out;
    }

    /** max |a - b| / (1 + max |b|). */
    public static double relativeError(double[] a, double[] b) {
        double worst = 0;
        double scale = 1;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
            scale = Math.max(scale, Math.abs(b[i]));
        }
        return worst / scale;
    }
}
