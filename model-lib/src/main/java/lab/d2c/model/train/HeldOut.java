package lab.d2c.model.train;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;

/**
 * A fixed split of a trainer's items into the ones it trains on and a held-out set it only
 * measures the loss on. Items come in groups of {@code group} consecutive indices (an image and its
 * mirror: items 2i and 2i + 1), and a group is held out whole, so no image is seen in training in
 * either flip. The split is a function of (items, group, fraction) and a fixed seed alone, not of
 * the run seed: every arm and seed that trains on the same data holds out the same images.
 *
 * @param train    the indices trained on, increasing
 * @param heldOut  the held-out indices, increasing
 */
public record HeldOut(int[] train, int[] heldOut) {

    /** The split's seed: fixed, so the held-out set is a property of the data, not of a run. */
    public static final long SEED = 0x48454c444f5554L;

    /**
     * {@code round(fraction * groups)} groups, at least one when {@code fraction > 0}, drawn by a
     * seeded permutation of the groups.
     */
    public static HeldOut split(int items, int group, double fraction) {
        if (group < 1 || items % group != 0) {
            throw new IllegalArgumentException("items " + items + " must be whole groups of " + group);
        }
        if (!(fraction >= 0 && fraction < 1)) {
            throw new IllegalArgumentException("held-out fraction must be in [0, 1), got " + fraction);
        }
        int groups = items / group;
        int held = fraction == 0 ? 0 : Math.max(1, (int) Math.round(fraction * groups));
        if (held >= groups) {
            throw new IllegalArgumentException("holding out " + held + " of " + groups + " groups leaves none to train on");
        }
        boolean[] out = new boolean[groups];
        int[] order = DataOrder.permutation(SEED, 0, groups);
        for (int i = 0; i < held; i++) {
            out[order[i]] = true;
        }
        int[] train = new int[(groups - held) * group];
        int[] heldOut = new int[held * group];
        int t = 0;
        int h = 0;
        for (int g = 0; g < groups; g++) {
            for (int k = 0; k < group; k++) {
                if (out[g]) {
                    heldOut[h++] = g * group + k;
                } else {
                    train[t++] = g * group + k;
                }
            }
        }
        return new HeldOut(train, heldOut);
    }

    /** The items of {@code source} at {@code items}, renumbered 0..items.length-1. */
    public static BatchSource subset(BatchSource source, int[] items) {
        int[] copy = items.clone();
        return new BatchSource() {
            @Override
            public int size() {
                return copy.length;
            }

            @Override
            public NDList batch(NDManager manager, int[] indices) {
                int[] mapped = new int[indices.length];
                for (int i = 0; i < indices.length; i++) {
                    mapped[i] = copy[indices[i]];
                }
                return source.batch(manager, mapped);
            }
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HeldOut h && Arrays.equals(train, h.train) && Arrays.equals(heldOut, h.heldOut);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(train) + Arrays.hashCode(heldOut);
    }

    @Override
    public String toString() {
        return "HeldOut[train " + train.length + ", held out " + heldOut.length + "]";
    }
}
