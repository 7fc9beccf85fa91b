package lab.d2c.model.stage1;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.SplittableRandom;
import lab.d2c.config.stage1.SamplingSettings;

/**
 * Stage one's teacher-forced predictions: for every position, the token stage one generates given
 * the class and the ground-truth tokens before it, all positions of a batch in one causal forward.
 * Stage two trains on these instead of the image's own codes, so it learns from the imperfect
 * tokens it will see at sampling time (D2C section 4.2: "we use the above discrete-valued model to
 * generate the next discrete-valued token conditioned on the class token and ground true tokens
 * before this position").
 *
 * <p>Temperature 0 takes the most likely token; a positive one samples from stage one's distribution
 * at that temperature (no top-k, top-p or guidance: the conditional distribution itself). Each item's
 * draws come from its own stream, seeded by the seed and the item's index, so an item's prediction
 * does not depend on which batch it is in.
 */
public final class TeacherForcedPredictions {

    /** Called after each batch of {@link #predictAll} with the sequences predicted so far and the total. */
    @FunctionalInterface
    public interface Progress {
        void sequences(int done, int total);
    }

    private final DiscreteArModel model;
    private final double temperature;
    private final long seed;

    /**
     * @param model       a trained stage one (its dropout is off here)
     * @param temperature 0 = argmax; > 0 = sample at this temperature
     * @param seed        seed of the draws (unused at temperature 0)
     */
    public TeacherForcedPredictions(DiscreteArModel model, double temperature, long seed) {
        if (!(temperature >= 0) || !Double.isFinite(temperature)) {
            throw new IllegalArgumentException("temperature: must be a finite number >= 0, got " + temperature);
        }
        this.model = model;
        this.temperature = temperature;
        this.seed = seed;
    }

    /**
     * Predicted ids of a batch of sequences.
     *
     * @param ids       ground-truth ids [B x N], row-major
     * @param labels    class labels [B]
     * @param firstItem index of the batch's first item in the whole set (selects the items' draw streams)
     * @return predicted ids [B x N]
     */
    public int[] predict(NDManager manager, int[] ids, int[] labels, long firstItem) {
        int b = labels.length;
        int n = model.config().tokens();
        int vocab = model.config().vocabSize();
        if (ids.length != (long) b * n) {
            throw new IllegalArgumentException("ids: expected " + b + " x " + n + " values, got " + ids.length);
        }
        float[] logits;
        try (NDManager batch = manager.newSubManager()) {
            NDArray out = model.teacherForced(new ParameterStore(batch, false), batch.create(ids, new Shape(b, n)),
                    batch.create(labels), null);
            logits = out.toType(DataType.FLOAT32, false).toFloatArray();
        }
        SamplingSettings settings = temperature > 0 ? SamplingSettings.plain().withTemperature(temperature) : null;
        int[] predicted = new int[b * n];
        float[] row = new float[vocab];
        for (int i = 0; i < b; i++) {
            SplittableRandom draws = settings == null ? null : stream(firstItem + i);
            for (int p = 0; p < n; p++) {
                System.arraycopy(logits, (i * n + p) * vocab, row, 0, vocab);
                predicted[i * n + p] = settings == null ? argmax(row) : LogitsSampler.sample(row, settings,
                        draws.nextDouble());
            }
        }
        return predicted;
    }

    /**
     * Predicted ids of every sequence of {@code truth}, {@code batchSize} sequences per forward ({@link #predict}),
     * item i's draws from its own stream, so only the forward's batch can change a logit, never the draws.
     *
     * @param batchSize sequences per forward; fix it where near-tie argmaxes must not depend on a setting
     * @param progress  told after each batch
     * @return predicted ids [truth.size() x N], row-major in item order
     */
    public int[] predictAll(NDManager manager, TokenSequences truth, int batchSize, Progress progress) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        int n = model.config().tokens();
        if (truth.length() != n) {
            throw new IllegalArgumentException("truth: sequences of " + truth.length() + " tokens, stage one has " + n);
        }
        int[] predicted = new int[truth.size() * n];
        for (int first = 0; first < truth.size(); first += batchSize) {
            int b = Math.min(batchSize, truth.size() - first);
            int[] ids = new int[b * n];
            int[] labels = new int[b];
            for (int i = 0; i < b; i++) {
                System.arraycopy(truth.sequence(first + i), 0, ids, i * n, n);
                labels[i] = truth.label(first + i);
            }
            int[] out = predict(manager, ids, labels, first);
            System.arraycopy(out, 0, predicted, first * n, out.length);
            progress.sequences(first + b, truth.size());
        }
        return predicted;
    }

    private SplittableRandom stream(long item) {
        return new SplittableRandom(new SplittableRandom(seed).split().nextLong() ^ item * 0x9E3779B97F4A7C15L);
    }

    /** The first index of the largest value (ties go to the lower id, as torch.argmax on CPU). */
    static int argmax(float[] row) {
        int best = 0;
        for (int i = 1; i < row.length; i++) {
            if (row[i] > row[best]) {
                best = i;
            }
        }
        return best;
    }
}
