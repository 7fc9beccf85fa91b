package lab.d2c.model.rdpm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.SplittableRandom;
import lab.d2c.config.rdpm.RdpmPredictorConfig;
import lab.d2c.config.rdpm.RdpmSamplingSettings;

/**
 * RDPM's generation (arXiv:2412.18390, section 3.2, Algorithm 2): from z'_0 = 0, for t = 1..T draw eps_t ~ N(0, 1),
 * predict the logits of C_t = f(eps_t, y, t, z'_{t-1}), guide them, choose each position's code, and accumulate
 * z'_t = z'_{t-1} + v'_t with v'_t the chosen codes' vectors (the tokenizer's recursion, Algorithm 1 line 6). Returns
 * the T code maps and z'_T; decoding z'_T (Algorithm 2, line 6) is the tokenizer's.
 *
 * <p>Guidance in the paper's form, v = cond + (cond - uncond) x lambda_t (section 3.2), lambda_t from
 * {@link RdpmSamplingSettings#scaleAt} (constant, or linear lambda t / T, Table 3); the unconditional pass (the
 * learned null class) runs as a second half of the batch and is skipped at a step whose lambda_t is 0. The choice is
 * Eq. 8's Gumbel argmax when the settings ask for it, else the argmax ({@link GumbelArgmax}), in Java, double.
 *
 * <p>Deterministic for a seed: sample i (counting over the whole call) draws its noise and its Gumbel uniforms from
 * its own generator seeded by (seed, i), step after step (eps_t's D x h x w normals, then, with Gumbel noise, h x w x
 * K uniforms in position and code order), so its codes do not depend on the batch it was drawn in.
 */
public final class RdpmSampler {

    private final RecurrentTokenPredictor model;
    private final CodeLookup lookup;

    /**
     * @param lookup the code vectors added to the accumulated latent (the tokenizer's, as its recursion adds them)
     */
    public RdpmSampler(RecurrentTokenPredictor model, CodeLookup lookup) {
        this.model = model;
        this.lookup = lookup;
    }

    /** Told of each step of each batch; one call per predictor pass (a guided pass covers both halves). */
    @FunctionalInterface
    public interface Progress {

        /**
         * Step {@code t} of {@code steps} finished on the batch of {@code size} samples that starts at sample
         * {@code first}.
         */
        void step(int first, int size, int t, int steps);
    }

    /**
     * @param codes  the chosen code maps, int [count, T, h, w] in C order
     * @param latent z'_T [count, D, h, w], what the tokenizer's decoder reads
     */
    public record Samples(int[] codes, NDArray latent) {
    }

    /** The generator of sample {@code index} under {@code seed}. */
    public static SplittableRandom sampleRandom(long seed, long index) {
        return new SplittableRandom(new SplittableRandom(seed ^ 0x5EED_4D0DL).split().nextLong()
                ^ index * 0x9E3779B97F4A7C15L);
    }

    /**
     * Guided logits cond + (cond - uncond) x lambda (section 3.2), in double. With lambda = 0 they are cond exactly.
     */
    public static double[] guide(float[] cond, float[] uncond, double lambda) {
        double[] v = new double[cond.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = cond[i] + ((double) cond[i] - uncond[i]) * lambda;
        }
        return v;
    }

    /**
     * Samples one set of T code maps per label.
     *
     * @param manager   where the latent is made (on its device)
     * @param labels    class ids, one per sample
     * @param batchSize samples per forward pass
     */
    public Samples sample(NDManager manager, int[] labels, RdpmSamplingSettings settings, long seed, int batchSize) {
        return sample(manager, labels, settings, seed, batchSize, (first, size, t, steps) -> { });
    }

    /** As {@link #sample(NDManager, int[], RdpmSamplingSettings, long, int)}, telling {@code progress} of each step. */
    public Samples sample(NDManager manager, int[] labels, RdpmSamplingSettings settings, long seed, int batchSize,
            Progress progress) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("RdpmSampler: batch size must be >= 1, got " + batchSize);
        }
        RdpmPredictorConfig c = model.config();
        int steps = c.steps();
        int length = c.tokens();
        int[] codes = new int[labels.length * steps * length];
        NDList latents = new NDList();
        for (int first = 0; first < labels.length; first += batchSize) {
            int b = Math.min(batchSize, labels.length - first);
            int[] batchLabels = java.util.Arrays.copyOfRange(labels, first, first + b);
            SplittableRandom[] random = new SplittableRandom[b];
            for (int i = 0; i < b; i++) {
                random[i] = sampleRandom(seed, first + i);
            }
            int[] batchCodes = new int[b * steps * length];
            int start = first;
            latents.add(sampleBatch(manager, batchLabels, settings, random, batchCodes,
                    t -> progress.step(start, b, t, steps)));
            System.arraycopy(batchCodes, 0, codes, first * steps * length, batchCodes.length);
        }
        NDArray latent = latents.size() == 1 ? latents.get(0) : NDArrays.concat(latents, 0);
        return new Samples(codes, latent);
    }

    private NDArray sampleBatch(NDManager manager, int[] labels, RdpmSamplingSettings settings,
            SplittableRandom[] random, int[] codesOut, java.util.function.IntConsumer stepDone) {
        RdpmPredictorConfig c = model.config();
        int b = labels.length;
        int steps = c.steps();
        int d = c.codeDim();
        int g = c.grid();
        int length = c.tokens();
        int k = c.vocabSize();
        Shape latentShape = new Shape(b, d, g, g);
        NDArray z = manager.zeros(latentShape);
        for (int t = 1; t <= steps; t++) {
            double lambda = settings.scaleAt(t, steps);
            boolean guided = lambda != 0;
            try (NDManager sub = manager.newSubManager()) {
                NDArray noise = sub.create(normals(random, d * length), latentShape);
                int rows = guided ? 2 * b : b;
                int[] stepT = new int[rows];
                java.util.Arrays.fill(stepT, t);
                int[] rowLabels = new int[rows];
                System.arraycopy(labels, 0, rowLabels, 0, b);
                for (int i = b; i < rows; i++) {
                    rowLabels[i] = c.nullClass();
                }
                NDArray eps = guided ? NDArrays.concat(new NDList(noise, noise), 0) : noise;
                NDArray previous = guided ? NDArrays.concat(new NDList(z, z), 0) : z;
                float[] logits = model.logits(new ParameterStore(sub, false), eps, previous, stepT,
                        sub.create(rowLabels), false).toType(DataType.FLOAT32, false).toFloatArray();
                int half = b * length * k;
                float[] cond = java.util.Arrays.copyOfRange(logits, 0, half);
                float[] uncond = guided ? java.util.Arrays.copyOfRange(logits, half, 2 * half) : cond;
                double[] v = guide(cond, uncond, guided ? lambda : 0);
                int[] chosen = new int[b * length];
                for (int i = 0; i < b; i++) {
                    for (int p = 0; p < length; p++) {
                        int row = i * length + p;
                        chosen[row] = settings.gumbel()
                                ? GumbelArgmax.choose(v, row * k, k, settings.temperature(), random[i])
                                : GumbelArgmax.argmax(v, row * k, k);
                        codesOut[(i * steps + t - 1) * length + p] = chosen[row];
                    }
                }
                NDArray vectors = lookup.vectors(sub.create(chosen, new Shape(b, g, g)));
                NDArray next = z.add(vectors.toType(z.getDataType(), false));
                next.attach(manager);
                z.close();
                z = next;
            }
            stepDone.accept(t);
        }
        return z;
    }

    /** Each sample's {@code perSample} standard normals (Box-Muller on its own generator), sample after sample. */
    private static float[] normals(SplittableRandom[] random, int perSample) {
        float[] v = new float[random.length * perSample];
        for (int i = 0; i < random.length; i++) {
            SplittableRandom r = random[i];
            for (int j = 0; j < perSample; j += 2) {
                double u1 = 1.0 - r.nextDouble();
                double u2 = r.nextDouble();
                double radius = Math.sqrt(-2 * Math.log(u1));
                v[i * perSample + j] = (float) (radius * Math.cos(2 * Math.PI * u2));
                if (j + 1 < perSample) {
                    v[i * perSample + j + 1] = (float) (radius * Math.sin(2 * Math.PI * u2));
                }
            }
        }
        return v;
    }
}
