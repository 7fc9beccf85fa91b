package lab.d2c.model.stage1;

import lab.d2c.config.stage1.DiscreteArConfig;
import lab.d2c.config.stage1.SamplingSettings;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import lab.d2c.model.data.ImageGrid;
import lab.d2c.model.tokenizer.VqTokenizer;

/**
 * Images from stage one alone, the discrete-only baseline (paper Table 1; LlamaGen's
 * {@code sample_c2i}: {@code generate}, then the VQ model's {@code decode_code}): {@link ArSampler}
 * draws each image's ids with the KV cache, {@code batchSize} sequences at a time, and the VQ decoder
 * turns them into uint8 pixels, {@code decodeBatch} images at a time, each batch in its own
 * sub-manager so only one batch of decoder activations is alive. The node that runs it only loads
 * the models and writes what {@link #generate} returns.
 */
public final class Stage1Generator {

    /** Images decoded at once unless {@link Builder#optDecodeBatch} says otherwise. */
    public static final int DEFAULT_DECODE_BATCH = 64;

    /** Stage one's token progress ({@link ArSampler.Progress}), then the start of decoding. */
    @FunctionalInterface
    public interface Progress extends ArSampler.Progress {
        /** Called once, after sampling, before the VQ decoder runs on {@code images} images. */
        default void decoding(int images) {
        }
    }

    /**
     * What {@link #generate} returns.
     *
     * @param ids           sampled ids [count][grid^2], raster order
     * @param pixels        uint8 images [count, channels, size, size] ({@link ImageGrid#toPixels})
     * @param channels      image channels
     * @param size          image side
     * @param sampleSeconds wall time of stage one's sampling alone (decoding excluded)
     */
    public record Result(int[][] ids, byte[] pixels, int channels, int size, double sampleSeconds) {

        /** Number of images. */
        public int count() {
            return ids.length;
        }

        /** The ids as one row-major int array [count x grid^2]. */
        public int[] flatIds() {
            return flatten(ids);
        }
    }

    /** Sequences [count][N] as one row-major array [count x N]. */
    public static int[] flatten(int[][] ids) {
        int n = ids.length == 0 ? 0 : ids[0].length;
        int[] flat = new int[ids.length * n];
        for (int i = 0; i < ids.length; i++) {
            System.arraycopy(ids[i], 0, flat, i * n, n);
        }
        return flat;
    }

    private final DiscreteArModel model;
    private final VqTokenizer decoder;
    private final SamplingSettings settings;
    private final int batchSize;
    private final int decodeBatch;

    private Stage1Generator(Builder builder) {
        this.model = builder.model;
        this.decoder = builder.decoder;
        this.settings = builder.settings;
        this.batchSize = builder.batchSize;
        this.decodeBatch = builder.decodeBatch;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * One image per label. Sample i draws from its own generator seeded by (seed, i) ({@link ArSampler}), so
     * the ids and pixels depend on neither batch size.
     *
     * @param manager  the models' manager (their device); every temporary is closed before this returns
     * @param labels   class ids in [0, numClasses)
     * @param seed     the run seed
     * @param progress told of each token step and of the start of decoding
     */
    public Result generate(NDManager manager, int[] labels, long seed, Progress progress) {
        DiscreteArConfig config = model.config();
        int count = labels.length;
        int n = config.tokens();
        int grid = config.grid();
        long started = System.nanoTime();
        int[][] ids = new ArSampler(model).sample(manager, labels, settings, seed, batchSize, true, progress);
        double sampleSeconds = (System.nanoTime() - started) / 1e9;
        int[] flat = flatten(ids);
        progress.decoding(count);
        int channels = decoder.config().imageChannels();
        int size = decoder.config().imageSize();
        int perImage = channels * size * size;
        byte[] pixels = new byte[count * perImage];
        for (int first = 0; first < count; first += decodeBatch) {
            int b = Math.min(decodeBatch, count - first);
            try (NDManager step = manager.newSubManager()) {
                int[] batchIds = new int[b * n];
                System.arraycopy(flat, first * n, batchIds, 0, batchIds.length);
                NDArray images = decoder.decodeIds(step.create(batchIds, new Shape(b, grid, grid)));
                byte[] batch = ImageGrid.toPixels(images.toType(DataType.FLOAT32, false).toFloatArray());
                System.arraycopy(batch, 0, pixels, first * perImage, batch.length);
            }
        }
        return new Result(ids, pixels, channels, size, sampleSeconds);
    }

    /** DJL style: {@code setX} required, {@code optX} optional. */
    public static final class Builder {

        private DiscreteArModel model;
        private VqTokenizer decoder;
        private SamplingSettings settings;
        private int batchSize;
        private int decodeBatch = DEFAULT_DECODE_BATCH;

        private Builder() {
        }

        /** A trained stage one, its weights loaded. */
        public Builder setModel(DiscreteArModel model) {
            this.model = model;
            return this;
        }

        /** The VQ tokenizer stage one was trained on (same codebook size and token grid). */
        public Builder setDecoder(VqTokenizer decoder) {
            this.decoder = decoder;
            return this;
        }

        /** Temperature, top-k, top-p and guidance of the draws. */
        public Builder setSampling(SamplingSettings settings) {
            this.settings = settings;
            return this;
        }

        /** Sequences sampled at once (the ids do not depend on it). */
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
         * @throws IllegalStateException when stage one was trained on another codebook size or token grid than the
         *                               decoder's
         */
        public Stage1Generator build() {
            if (model == null || decoder == null || settings == null) {
                throw new IllegalArgumentException("setModel, setDecoder and setSampling are required");
            }
            if (batchSize < 1) {
                throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
            }
            if (decodeBatch < 1) {
                throw new IllegalArgumentException("decodeBatch must be >= 1, got " + decodeBatch);
            }
            DiscreteArConfig config = model.config();
            int grid = config.grid();
            if (decoder.config().codebookSize() != config.vocabSize() || decoder.config().tokenGrid() != grid) {
                throw new IllegalStateException("stage one was trained on " + config.vocabSize() + " codes on a "
                        + grid + "x" + grid + " grid; the VQ tokenizer has " + decoder.config().codebookSize()
                        + " codes and a " + decoder.config().tokenGrid() + " grid");
            }
            return new Stage1Generator(this);
        }
    }
}
