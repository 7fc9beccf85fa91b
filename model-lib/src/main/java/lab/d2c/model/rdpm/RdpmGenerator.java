package lab.d2c.model.rdpm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import lab.d2c.config.rdpm.RdpmPredictorConfig;
import lab.d2c.config.rdpm.RdpmSamplingSettings;
import lab.d2c.config.rdpm.RdpmTokenizerConfig;
import lab.d2c.model.data.ImageGrid;

/**
 * Images from RDPM (arXiv:2412.18390, section 3.2, Algorithm 2): {@link RdpmSampler} runs the T steps of recurrent
 * token prediction from pure noise, {@code batchSize} images at a time, with the sampling settings' guidance and
 * Gumbel choice; the tokenizer decodes the T code maps ({@link RdpmTokenizer#decode}, Algorithm 2 line 6: the
 * decoder reads the sum of the chosen code vectors, with the tokenizer's bias convolution where it has one), and
 * the images, clipped to [-1, 1], become uint8 pixels ({@link ImageGrid#toPixels}), {@code decodeBatch} images at a
 * time, each batch in its own sub-manager so only one batch of decoder activations is alive. The node that runs it
 * only loads the models and writes what {@link #generate} returns.
 */
public final class RdpmGenerator {

    /** Images decoded at once unless {@link Builder#optDecodeBatch} says otherwise. */
    public static final int DEFAULT_DECODE_BATCH = 64;

    /** The sampler's step progress ({@link RdpmSampler.Progress}), then the start of decoding. */
    @FunctionalInterface
    public interface Progress extends RdpmSampler.Progress {
        /** Called once, after sampling, before the tokenizer's decoder runs on {@code images} images. */
        default void decoding(int images) {
        }
    }

    /**
     * What {@link #generate} returns.
     *
     * @param codes         the T code maps of every image, int [count, steps, grid, grid] in C order
     * @param pixels        uint8 images [count, channels, size, size] ({@link ImageGrid#toPixels})
     * @param count         number of images
     * @param steps         T
     * @param grid          code-map side
     * @param channels      image channels
     * @param size          image side
     * @param sampleSeconds wall time of the T predictor steps alone (decoding excluded)
     */
    public record Result(int[] codes, byte[] pixels, int count, int steps, int grid, int channels, int size,
            double sampleSeconds) {
    }

    private final RecurrentTokenPredictor model;
    private final RdpmTokenizer tokenizer;
    private final RdpmSamplingSettings settings;
    private final int batchSize;
    private final int decodeBatch;

    private RdpmGenerator(Builder builder) {
        this.model = builder.model;
        this.tokenizer = builder.tokenizer;
        this.settings = builder.settings;
        this.batchSize = builder.batchSize;
        this.decodeBatch = builder.decodeBatch;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * One image per label. Sample i draws its noise and Gumbel uniforms from its own generator seeded by (seed, i)
     * ({@link RdpmSampler}), so the codes and pixels do not depend on the batch size.
     *
     * @param manager  the models' manager (their device); every temporary is closed before this returns
     * @param labels   class ids in [0, numClasses)
     * @param seed     the run seed
     * @param progress told of each predictor step and of the start of decoding
     */
    public Result generate(NDManager manager, int[] labels, long seed, Progress progress) {
        RdpmPredictorConfig config = model.config();
        for (int label : labels) {
            if (label < 0 || label >= config.numClasses()) {
                throw new IllegalArgumentException("label " + label + " outside 0.." + (config.numClasses() - 1));
            }
        }
        int count = labels.length;
        int steps = config.steps();
        int grid = config.grid();
        int perCodes = steps * grid * grid;
        int[] codes;
        long started = System.nanoTime();
        try (NDManager scope = manager.newSubManager()) {
            // the sampler's latent z'_T is not used: the tokenizer's decoder input is rebuilt from the codes
            codes = new RdpmSampler(model, model.lookup()).sample(scope, labels, settings, seed, batchSize, progress)
                    .codes();
        }
        double sampleSeconds = (System.nanoTime() - started) / 1e9;
        progress.decoding(count);
        int channels = tokenizer.config().imageChannels();
        int size = tokenizer.config().imageSize();
        int perImage = channels * size * size;
        byte[] pixels = new byte[count * perImage];
        for (int first = 0; first < count; first += decodeBatch) {
            int b = Math.min(decodeBatch, count - first);
            try (NDManager step = manager.newSubManager()) {
                int[] batchCodes = new int[b * perCodes];
                System.arraycopy(codes, first * perCodes, batchCodes, 0, batchCodes.length);
                NDArray images = tokenizer.decode(step.create(batchCodes, new Shape(b, steps, grid, grid)));
                byte[] batch = ImageGrid.toPixels(images.clip(-1f, 1f).toType(DataType.FLOAT32, false)
                        .toFloatArray());
                System.arraycopy(batch, 0, pixels, first * perImage, batch.length);
            }
        }
        return new Result(codes, pixels, count, steps, grid, channels, size, sampleSeconds);
    }

    /** DJL style: {@code setX} required, {@code optX} optional. */
    public static final class Builder {

        private RecurrentTokenPredictor model;
        private RdpmTokenizer tokenizer;
        private RdpmSamplingSettings settings;
        private int batchSize;
        private int decodeBatch = DEFAULT_DECODE_BATCH;

        private Builder() {
        }

        /**
         * A trained predictor, its weights loaded; its {@link RecurrentTokenPredictor#lookup} is what the sampler
         * accumulates (the tokenizer's code vectors, {@link CodeLookup#codebook}).
         */
        public Builder setModel(RecurrentTokenPredictor model) {
            this.model = model;
            return this;
        }

        /** The tokenizer the predictor was trained on (same codebook, code dimension, grid and T). */
        public Builder setTokenizer(RdpmTokenizer tokenizer) {
            this.tokenizer = tokenizer;
            return this;
        }

        /** Guidance and the Gumbel choice of the draws. */
        public Builder setSampling(RdpmSamplingSettings settings) {
            this.settings = settings;
            return this;
        }

        /** Images sampled at once (the codes do not depend on it). */
        public Builder setBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** Images decoded at once; {@value #DEFAULT_DECODE_BATCH} by default. */
        public Builder optDecodeBatch(int decodeBatch) {
            this.decodeBatch = decodeBatch;
            return this;
        }

        /**
         * @throws IllegalStateException when the predictor was built for another codebook size, code dimension, grid
         *                               or T than the tokenizer's
         */
        public RdpmGenerator build() {
            if (model == null || tokenizer == null || settings == null) {
                throw new IllegalArgumentException("setModel, setTokenizer and setSampling are required");
            }
            if (batchSize < 1) {
                throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
            }
            if (decodeBatch < 1) {
                throw new IllegalArgumentException("decodeBatch must be >= 1, got " + decodeBatch);
            }
            RdpmPredictorConfig p = model.config();
            RdpmTokenizerConfig t = tokenizer.config();
            if (p.vocabSize() != t.codebookSize() || p.codeDim() != t.codeDim() || p.grid() != t.tokenGrid()
                    || p.steps() != t.steps()) {
                throw new IllegalStateException("the predictor was built for " + p.vocabSize() + " codes of "
                        + p.codeDim() + " on a " + p.grid() + "x" + p.grid() + " grid over " + p.steps()
                        + " steps; the tokenizer has " + t.codebookSize() + " codes of " + t.codeDim() + " on a "
                        + t.tokenGrid() + "x" + t.tokenGrid() + " grid over " + t.steps() + " steps");
            }
            return new RdpmGenerator(this);
        }
    }
}
