package lab.d2c.model.train;

import java.util.SplittableRandom;

/**
 * The order of items in an epoch, a function of (run seed, epoch) alone: a resumed run needs only
 * its cursor to continue where an uninterrupted run would be.
 */
public final class DataOrder {

    private DataOrder() {
    }

    /** A permutation of 0..n-1 by Fisher-Yates on a {@link SplittableRandom} seeded from (seed, epoch). */
    public static int[] permutation(long seed, long epoch, int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, got " + n);
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom random = new StepRandom(seed, epoch).generator("data-order");
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /** The items of the batch at {@code cursor}: {@code batchSize} entries of that epoch's permutation. */
    public static int[] batch(long seed, DataCursor cursor, int batchSize, int n) {
        int[] order = permutation(seed, cursor.epoch(), n);
        return slice(order, cursor, batchSize);
    }

    static int[] slice(int[] order, DataCursor cursor, int batchSize) {
        if (cursor.position() + batchSize > order.length) {
            throw new IllegalArgumentException("batch of " + batchSize + " at " + cursor + " passes the end of "
                    + order.length + " items");
        }
        int[] out = new int[batchSize];
        System.arraycopy(order, cursor.position(), out, 0, batchSize);
        return out;
    }
}
