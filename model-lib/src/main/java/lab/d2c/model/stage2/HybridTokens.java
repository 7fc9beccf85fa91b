package lab.d2c.model.stage2;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import lab.d2c.model.train.BatchSource;

/**
 * Stage two's training data: per item (an image in one flip) the VAE posterior's scaled mean and
 * standard deviation per token [N, C], its VQ ids [N] and its label. The model draws the continuous
 * tokens mean + std * eps from the step's draws (MAR trains on latents sampled from cached moments),
 * so this source stays a pure function of the indices.
 *
 * <p>Batches: means [B, N, C], ids [B, N], labels [B], stds [B, N, C].
 */
public final class HybridTokens implements BatchSource {

    private final int grid;
    private final int channels;
    private final float[] means;
    private final float[] stds;
    private final int[] ids;
    private final int[] labels;

    private HybridTokens(int grid, int channels, float[] means, float[] stds, int[] ids, int[] labels) {
        this.grid = grid;
        this.channels = channels;
        this.means = means;
        this.stds = stds;
        this.ids = ids;
        this.labels = labels;
    }

    /**
     * From pretokenized shards (model-lib's {@code TokenShard} layout, both flips of each image as items).
     *
     * @param idsByImage     int32 [n, flips, grid, grid]
     * @param moments        float32 [n, flips, 2C, grid, grid]: posterior mean (first C) and log-variance
     * @param imageLabels    int32 [n]
     * @param latentScale    the VAE's latent scale factor (tokens are scale * latent)
     */
    public static HybridTokens ofMoments(int[] idsByImage, float[] moments, int[] imageLabels, int flips, int grid,
            int channels, double latentScale) {
        int n = grid * grid;
        int items = imageLabels.length * flips;
        float[] means = new float[items * n * channels];
        float[] stds = new float[items * n * channels];
        int[] ids = new int[items * n];
        int[] labels = new int[items];
        for (int item = 0; item < items; item++) {
            labels[item] = imageLabels[item / flips];
            System.arraycopy(idsByImage, item * n, ids, item * n, n);
            int base = item * 2 * channels * n;
            for (int c = 0; c < channels; c++) {
                for (int p = 0; p < n; p++) {
                    double mean = moments[base + c * n + p];
                    double logVar = Math.max(-30, Math.min(20, moments[base + (channels + c) * n + p]));
                    means[(item * n + p) * channels + c] = (float) (latentScale * mean);
                    stds[(item * n + p) * channels + c] = (float) (latentScale * Math.exp(0.5 * logVar));
                }
            }
        }
        return new HybridTokens(grid, channels, means, stds, ids, labels);
    }

    /**
     * The same items with other discrete ids as their condition: stage one's predictions instead of the
     * images' own codes (D2C section 4.2). The continuous tokens, the targets, stay the images'.
     *
     * @param conditionIds ids [items x N], in item order
     */
    public HybridTokens withConditionIds(int[] conditionIds) {
        if (conditionIds.length != ids.length) {
            throw new IllegalArgumentException("conditionIds: expected " + ids.length + " ids (" + size() + " items x "
                    + grid * grid + "), got " + conditionIds.length);
        }
        return new HybridTokens(grid, channels, means, stds, conditionIds.clone(), labels);
    }

    public int grid() {
        return grid;
    }

    public int channels() {
        return channels;
    }

    /** The ids of item i [N]. */
    public int[] ids(int item) {
        int n = grid * grid;
        return java.util.Arrays.copyOfRange(ids, item * n, (item + 1) * n);
    }

    public int label(int item) {
        return labels[item];
    }

    @Override
    public int size() {
        return labels.length;
    }

    @Override
    public NDList batch(NDManager manager, int[] indices) {
        int n = grid * grid;
        int per = n * channels;
        float[] m = new float[indices.length * per];
        float[] s = new float[indices.length * per];
        int[] batchIds = new int[indices.length * n];
        int[] batchLabels = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            int item = indices[i];
            System.arraycopy(means, item * per, m, i * per, per);
            System.arraycopy(stds, item * per, s, i * per, per);
            System.arraycopy(ids, item * n, batchIds, i * n, n);
            batchLabels[i] = labels[item];
        }
        Shape tokens = new Shape(indices.length, n, channels);
        return new NDList(manager.create(m, tokens), manager.create(batchIds, new Shape(indices.length, n)),
                manager.create(batchLabels), manager.create(s, tokens));
    }
}
