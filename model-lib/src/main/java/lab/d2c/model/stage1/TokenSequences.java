package lab.d2c.model.stage1;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import lab.d2c.model.train.BatchSource;

/**
 * Stage one's training data: token sequences (VQ ids in raster order) with their class labels.
 * Batches are (ids int32 [b, length], labels int32 [b]).
 */
public final class TokenSequences implements BatchSource {

    private final int count;
    private final int length;
    private final int[] ids;
    private final int[] labels;

    /**
     * @param ids    count x length ids, sequence after sequence
     * @param labels count class ids
     */
    public TokenSequences(int[] ids, int[] labels, int length) {
        if (length < 1 || ids.length != (long) labels.length * length) {
            throw new IllegalArgumentException("TokenSequences: " + ids.length + " ids do not make " + labels.length
                    + " sequences of " + length);
        }
        this.count = labels.length;
        this.length = length;
        this.ids = ids;
        this.labels = labels;
    }

    /**
     * The sequences of pretokenized shards, both flips as separate items (item 2i is image i,
     * item 2i + 1 its mirror; MAR and LlamaGen train on flipped copies too).
     *
     * @param flipIds int32 [n, flips, grid, grid] as {@code pretokenize} writes them
     * @param labels  [n]
     */
    public static TokenSequences ofFlips(int[] flipIds, int[] labels, int flips, int grid) {
        int tokens = grid * grid;
        int[] itemLabels = new int[labels.length * flips];
        for (int i = 0; i < labels.length; i++) {
            for (int f = 0; f < flips; f++) {
                itemLabels[i * flips + f] = labels[i];
            }
        }
        // [n, flips, g, g] in C order is already item after item of g^2 ids.
        return new TokenSequences(flipIds, itemLabels, tokens);
    }

    @Override
    public int size() {
        return count;
    }

    public int length() {
        return length;
    }

    public int label(int item) {
        return labels[item];
    }

    public int[] sequence(int item) {
        int[] s = new int[length];
        System.arraycopy(ids, item * length, s, 0, length);
        return s;
    }

    @Override
    public NDList batch(NDManager manager, int[] indices) {
        int[] batchIds = new int[indices.length * length];
        int[] batchLabels = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(ids, indices[i] * length, batchIds, i * length, length);
            batchLabels[i] = labels[indices[i]];
        }
        return new NDList(manager.create(batchIds, new Shape(indices.length, length)), manager.create(batchLabels));
    }
}
