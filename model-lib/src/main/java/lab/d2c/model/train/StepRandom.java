package lab.d2c.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;

/**
 * Random draws of one training step, derived from (run seed, step, purpose) alone, so a run
 * resumed at step k draws exactly what an uninterrupted run drew at step k. Numbers are made
 * in Java (libtorch's generator state cannot be saved through DJL) and copied to the device.
 */
public final class StepRandom {

    private final long runSeed;
    private final long step;

    public StepRandom(long runSeed, long step) {
        this.runSeed = runSeed;
        this.step = step;
    }

    public long step() {
        return step;
    }

    /** A seed for one purpose of this step; different purposes give independent streams. */
    public long seed(String purpose) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < purpose.length(); i++) {
            h = (h ^ purpose.charAt(i)) * 0x100000001b3L;
        }
        return new SplittableRandom(runSeed * 0x9E3779B97F4A7C15L ^ step * 0xC2B2AE3D27D4EB4FL ^ h).nextLong();
    }

    /** A Java generator for one purpose of this step. */
    public SplittableRandom generator(String purpose) {
        return new SplittableRandom(seed(purpose));
    }

    /** Uniform [0, 1) floats. */
    public NDArray uniform(NDManager manager, Shape shape, String purpose) {
        SplittableRandom r = generator(purpose);
        float[] v = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextDouble();
        }
        return manager.create(v, shape);
    }

    /** Standard normal floats (Box-Muller on the Java generator). */
    public NDArray normal(NDManager manager, Shape shape, String purpose) {
        return manager.create(normalValues(Math.toIntExact(shape.size()), purpose), shape);
    }

    /**
     * The first {@code count} standard normal floats of a purpose's stream, on the host: what
     * {@link #normal} puts into an array of that size, so a caller can keep some of the draws (the rows a
     * loss reads) and still see the draws every row would have had.
     */
    public float[] normalValues(int count, String purpose) {
        SplittableRandom r = generator(purpose);
        float[] v = new float[count];
        for (int i = 0; i < v.length; i += 2) {
            double u1 = 1.0 - r.nextDouble();
            double u2 = r.nextDouble();
            double radius = Math.sqrt(-2 * Math.log(u1));
            v[i] = (float) (radius * Math.cos(2 * Math.PI * u2));
            if (i + 1 < v.length) {
                v[i + 1] = (float) (radius * Math.sin(2 * Math.PI * u2));
            }
        }
        return v;
    }
}
