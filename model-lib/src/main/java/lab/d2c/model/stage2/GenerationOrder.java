package lab.d2c.model.stage2;

import java.util.SplittableRandom;

/**
 * A random generation order of the token positions per sample (MAR's {@code sample_orders}; paper
 * section 4.2). As in MAR, the first {@code masked} entries of the order are the masked positions,
 * both in training and while sampling, where each step unmasks the tail of that prefix.
 */
public final class GenerationOrder {

    private GenerationOrder() {
    }

    /** A uniformly random permutation of 0 .. length-1 (Fisher-Yates). */
    public static int[] random(int length, SplittableRandom random) {
        int[] order = new int[length];
        for (int i = 0; i < length; i++) {
            order[i] = i;
        }
        for (int i = length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /** mask[p] = true for the first {@code masked} positions of {@code order}. */
    public static boolean[] maskFirst(int[] order, int masked) {
        boolean[] mask = new boolean[order.length];
        for (int k = 0; k < masked; k++) {
            mask[order[k]] = true;
        }
        return mask;
    }
}
