package lab.d2c.model.stage1;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.SplittableRandom;
import lab.d2c.config.stage1.DiscreteArConfig;
import lab.d2c.config.stage1.SamplingSettings;

/**
 * Class-conditional sampling of stage-one token sequences (LlamaGen's {@code generate}): the class
 * prefix, then one token at a time in raster order, each drawn by {@link LogitsSampler} from the
 * last position's logits. With the KV cache each step feeds only the newest token; without it
 * every step recomputes the whole prefix (kept only to prove both give the same tokens).
 * Classifier-free guidance runs the null class as a second half of the batch, and both halves
 * are fed the token drawn from the guided logits.
 *
 * <p>Deterministic for a seed: sample i (counting over the whole call) draws its uniforms from its
 * own generator seeded by (seed, i), so its tokens do not depend on the batch size or the device
 * (up to float rounding of the logits).
 */
public final class ArSampler {

    /** Called after each token step with the tokens finished so far and the total. */
    @FunctionalInterface
    public interface Progress {
        void tokens(long done, long total);
    }

    private final DiscreteArModel model;
    private final DiscreteArConfig config;

    public ArSampler(DiscreteArModel model) {
        this.model = model;
        this.config = model.config();
    }

    /**
     * Samples one sequence per label.
     *
     * @param manager   where temporaries live (the model's device); nothing is left on it
     * @param labels    class ids in [0, numClasses)
     * @param batchSize sequences sampled at once
     * @param cached    whether to use the KV cache (always, except to compare against it)
     * @return token ids [labels.length][grid^2]
     */
    public int[][] sample(NDManager manager, int[] labels, SamplingSettings settings, long seed, int batchSize,
            boolean cached, Progress progress) {
        return sample(manager, labels, settings, seed, batchSize, cached, false, progress);
    }

    /** As above; {@code twoBranches} runs the null-class half even at guidance scale 1 (tests). */
    int[][] sample(NDManager manager, int[] labels, SamplingSettings settings, long seed, int batchSize,
            boolean cached, boolean twoBranches, Progress progress) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        for (int label : labels) {
            if (label < 0 || label >= config.numClasses()) {
                throw new IllegalArgumentException("label " + label + " outside 0.." + (config.numClasses() - 1));
            }
        }
        int[][] out = new int[labels.length][];
        long total = (long) labels.length * config.tokens();
        long done = 0;
        for (int first = 0; first < labels.length; first += batchSize) {
            int b = Math.min(batchSize, labels.length - first);
            int[] batchLabels = new int[b];
            System.arraycopy(labels, first, batchLabels, 0, b);
            SplittableRandom[] draws = new SplittableRandom[b];
            for (int i = 0; i < b; i++) {
                draws[i] = new SplittableRandom(new SplittableRandom(seed).split().nextLong() ^ (first + i) * 0x9E3779B97F4A7C15L);
            }
            int[][] tokens = sampleBatch(manager, batchLabels, draws, settings, cached,
                    twoBranches || settings.guided(), progress, done, total);
            System.arraycopy(tokens, 0, out, first, b);
            done += (long) b * config.tokens();
        }
        return out;
    }

    private int[][] sampleBatch(NDManager manager, int[] labels, SplittableRandom[] draws, SamplingSettings s,
            boolean cached, boolean twoBranches, Progress progress, long doneBefore, long total) {
        int b = labels.length;
        int rows = twoBranches ? 2 * b : b;
        int n = config.tokens();
        int[] classIds = new int[rows];
        for (int i = 0; i < rows; i++) {
            classIds[i] = i < b ? labels[i] : config.nullClass();
        }
        int[][] tokens = new int[b][n];
        int[] fed = new int[rows * n];
        try (NDManager batch = manager.newSubManager();
                KvCache cache = cached ? new KvCache(batch, config.depth()) : null) {
            ParameterStore store = new ParameterStore(batch, false);
            for (int pos = 0; pos < n; pos++) {
                float[] logits;
                try (NDManager step = batch.newSubManager()) {
                    NDArray prefix = null;
                    NDArray x;
                    int start;
                    if (!cached || pos == 0) {
                        prefix = model.classPrefix(store, step.create(classIds), false);
                    }
                    if (cached) {
                        start = pos == 0 ? 0 : config.classTokens() + pos - 1;
                        x = pos == 0 ? prefix : model.embed(store, step.create(column(fed, rows, n, pos - 1),
                                new Shape(rows, 1)), false);
                    } else {
                        start = 0;
                        x = pos == 0 ? prefix : NDArrays.concat(new NDList(prefix,
                                model.embed(store, step.create(prefixOf(fed, rows, n, pos), new Shape(rows, pos)), false)), 1);
                    }
                    NDArray all = model.run(store, x, start, cache, null);
                    long length = all.getShape().get(1);
                    logits = all.get(new NDIndex(":, {}, :", length - 1)).toType(DataType.FLOAT32, false).toFloatArray();
                }
                int v = config.vocabSize();
                for (int i = 0; i < b; i++) {
                    float[] row = new float[v];
                    System.arraycopy(logits, i * v, row, 0, v);
                    if (twoBranches && s.guides(pos)) {
                        float[] uncond = new float[v];
                        System.arraycopy(logits, (b + i) * v, uncond, 0, v);
                        LogitsSampler.guide(row, uncond, s.guidanceScale());
                    }
                    int token = LogitsSampler.sample(row, s, draws[i].nextDouble());
                    tokens[i][pos] = token;
                    fed[i * n + pos] = token;
                    if (twoBranches) {
                        fed[(b + i) * n + pos] = token;
                    }
                }
                if (progress != null) {
                    progress.tokens(doneBefore + (long) b * (pos + 1), total);
                }
            }
        }
        return tokens;
    }

    private static int[] column(int[] fed, int rows, int n, int pos) {
        int[] c = new int[rows];
        for (int r = 0; r < rows; r++) {
            c[r] = fed[r * n + pos];
        }
        return c;
    }

    private static int[] prefixOf(int[] fed, int rows, int n, int length) {
        int[] p = new int[rows * length];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(fed, r * n, p, r * length, length);
        }
        return p;
    }
}
