package lab.d2c.model.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Random arrays drawn on the array's device from libtorch's generator, re-seeded for each draw
 * from a seed the caller derives from (run seed, step, purpose). Large draws (dropout masks of
 * a GPU batch) are too slow to make in Java, and libtorch's generator state cannot be saved
 * through DJL (docs/djl-pitfalls.md, pitfall 11); seeding every draw makes a resumed run draw
 * exactly what an uninterrupted one drew. Seeding is process-wide, so seed-then-draw (and
 * seed-then-initialize, see {@code TrainingLoop}) hold {@link #LOCK}.
 */
public final class SeededDraws {

    /** Held while libtorch's global generator is seeded and used. */
    public static final Object LOCK = new Object();

    private SeededDraws() {
    }

    /** Uniform [0, 1) float32 values of the given shape on {@code manager}'s device. */
    public static NDArray uniform(NDManager manager, Shape shape, long seed) {
        synchronized (LOCK) {
            manager.getEngine().setRandomSeed((int) (seed ^ (seed >>> 32)));
            return manager.randomUniform(0f, 1f, shape, DataType.FLOAT32);
        }
    }
}
