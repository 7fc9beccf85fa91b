package lab.d2c.model.train;

/**
 * Where the next batch starts: an epoch and a position in that epoch's permutation. Epochs drop
 * their last partial batch (every batch has the same size), so an epoch is
 * {@code floor(n / batchSize)} batches.
 */
public record DataCursor(long epoch, int position) {

    public static final DataCursor START = new DataCursor(0, 0);

    public DataCursor {
        if (epoch < 0 || position < 0) {
            throw new IllegalArgumentException("cursor must be non-negative, got epoch " + epoch + ", position "
                    + position);
        }
    }

    /** The cursor where the batch at this one can start: here, or the next epoch's start if too few items remain. */
    public DataCursor aligned(int batchSize, int n) {
        requireFits(batchSize, n);
        return position + batchSize <= n ? this : new DataCursor(epoch + 1, 0);
    }

    /** The cursor after taking one batch at {@link #aligned}. */
    public DataCursor advance(int batchSize, int n) {
        DataCursor at = aligned(batchSize, n);
        return new DataCursor(at.epoch, at.position + batchSize).aligned(batchSize, n);
    }

    private static void requireFits(int batchSize, int n) {
        if (batchSize <= 0 || batchSize > n) {
            throw new IllegalArgumentException("batch size " + batchSize + " does not fit " + n + " items");
        }
    }
}
