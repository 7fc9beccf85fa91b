package lab.d2c.model.stage2;

import lab.d2c.config.stage2.HybridConfig;
import lab.d2c.config.stage2.FusionKind;
import lab.d2c.config.stage2.HybridSamplingSettings;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Arrays;
import lab.d2c.model.data.ImageGrid;
import lab.d2c.model.stage1.ArSampler;
import lab.d2c.model.stage1.DiscreteArModel;
import lab.d2c.config.stage1.SamplingSettings;
import lab.d2c.model.tokenizer.KlVae;
import lab.d2c.model.tokenizer.LatentScale;

/**
 * D2C generation (paper section 5.1), the whole pipeline from labels to pixels: stage one draws each
 * image's discrete ids ({@link ArSampler}, skipped for fusion {@code none}, which is MAR's sampling),
 * stage two generates the continuous tokens conditioned on them ({@link HybridSampler}, MAR's
 * {@code sample_tokens}), the tokens are un-scaled ({@link LatentScale#invert}, MAR's
 * {@code sampled_tokens / vae_scale_factor}) and the KL-VAE decodes them (MAR's engine:
 * {@code vae.decode}). Stage two and the decoder run {@code batchSize} images at a time, each batch in its
 * own sub-manager of the caller's, so only one batch's activations are alive. The node that runs it
 * only loads the models and writes what {@link #generate} returns.
 */
public final class D2cGenerator {

    /** Where generation is: stage one's tokens, then stage two's steps per batch. */
    public interface Progress {

        /** Stage one finished {@code done} of {@code total} tokens ({@link ArSampler.Progress}). */
        void stageOne(long done, long total);

        /**
         * Stage two finished {@code step} of {@code steps} steps on the batch of {@code size} images that starts
         * at image {@code first}.
         */
        void stageTwo(int first, int size, int step, int steps);
    }

    /**
     * What {@link #generate} returns.
     *
     * @param ids           stage one's ids [count][N], or null for fusion {@code none}
     * @param latents       stage two's tokens, scaled as the generator sees them, float [count x N x C]
     * @param pixels        uint8 images [count, channels, size, size] ({@link ImageGrid#toPixels})
     * @param channels      image channels
     * @param size          image side
     * @param stage1Seconds wall time of stage one's sampling (0 without stage one)
     * @param stage2Seconds wall time of stage two and the decoder
     */
    public record Result(int[][] ids, float[] latents, byte[] pixels, int channels, int size, double stage1Seconds,
            double stage2Seconds) {
    }

    private final HybridModel model;
    private final HybridSamplingSettings settings;
    private final KlVae decoder;
    private final LatentScale latentScale;
    private final int batchSize;
    private final DiscreteArModel stage1;
    private final SamplingSettings stage1Settings;

    private D2cGenerator(Builder builder) {
        this.model = builder.model;
        this.settings = builder.settings;
        this.decoder = builder.decoder;
        this.latentScale = builder.latentScale;
        this.batchSize = builder.batchSize;
        this.stage1 = builder.stage1;
        this.stage1Settings = builder.stage1Settings;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * One image per label. Sample i draws from generators seeded by (seed, i) in both stages, so nothing
     * depends on the batch size.
     *
     * @param manager  the models' manager (their device); every temporary is closed before this returns
     * @param labels   class ids in [0, numClasses)
     * @param seed     the run seed
     * @param progress told of stage one's tokens and stage two's steps
     */
    public Result generate(NDManager manager, int[] labels, long seed, Progress progress) {
        HybridConfig config = model.config();
        int count = labels.length;
        int n = config.tokens();
        int c = config.tokenChannels();
        int grid = config.grid();
        int[][] ids = null;
        double stage1Seconds = 0;
        if (stage1 != null) {
            long started = System.nanoTime();
            ids = new ArSampler(stage1).sample(manager, labels, stage1Settings, seed, batchSize, true,
                    progress::stageOne);
            stage1Seconds = (System.nanoTime() - started) / 1e9;
        }
        HybridSampler sampler = new HybridSampler(model);
        float[] latents = new float[count * n * c];
        int channels = decoder.config().imageChannels();
        int size = decoder.config().imageSize();
        int perImage = channels * size * size;
        byte[] pixels = new byte[count * perImage];
        long started = System.nanoTime();
        for (int first = 0; first < count; first += batchSize) {
            int b = Math.min(batchSize, count - first);
            int[] batchLabels = Arrays.copyOfRange(labels, first, first + b);
            int[][] batchIds = ids == null ? null : Arrays.copyOfRange(ids, first, first + b);
            int done = first;
            try (NDManager step = manager.newSubManager()) {
                NDArray tokens = sampler.sample(step, batchLabels, batchIds, settings, seed, first,
                        s -> progress.stageTwo(done, b, s, settings.steps()));
                float[] values = tokens.toFloatArray();
                System.arraycopy(values, 0, latents, first * n * c, values.length);
                // [b, N, C] scaled tokens -> [b, C, grid, grid] unscaled latents
                NDArray z = latentScale.invert(tokens).reshape(b, grid, grid, c).transpose(0, 3, 1, 2);
                NDArray images = decoder.decode(z);
                byte[] batch = ImageGrid.toPixels(images.toType(DataType.FLOAT32, false).toFloatArray());
                System.arraycopy(batch, 0, pixels, first * perImage, batch.length);
            }
        }
        double stage2Seconds = (System.nanoTime() - started) / 1e9;
        return new Result(ids, latents, pixels, channels, size, stage1Seconds, stage2Seconds);
    }

    /** DJL style: {@code setX} required, {@code optX} optional. */
    public static final class Builder {

        private HybridModel model;
        private HybridSamplingSettings settings;
        private KlVae decoder;
        private LatentScale latentScale;
        private int batchSize;
        private DiscreteArModel stage1;
        private SamplingSettings stage1Settings;

        private Builder() {
        }

        /** A trained stage two, its weights loaded. */
        public Builder setModel(HybridModel model) {
            this.model = model;
            return this;
        }

        /** Stage two's steps, guidance and temperature. */
        public Builder setSampling(HybridSamplingSettings settings) {
            this.settings = settings;
            return this;
        }

        /** The KL-VAE whose latents stage two was trained on. */
        public Builder setDecoder(KlVae decoder) {
            this.decoder = decoder;
            return this;
        }

        /** The factor stage two's tokens were scaled by in training. */
        public Builder setLatentScale(LatentScale latentScale) {
            this.latentScale = latentScale;
            return this;
        }

        /** Images generated at once, in both stages (nothing depends on it). */
        public Builder setBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** Stage one and its sampling settings: required when the fusion uses discrete tokens, refused otherwise. */
        public Builder optStage1(DiscreteArModel stage1, SamplingSettings settings) {
            this.stage1 = stage1;
            this.stage1Settings = settings;
            return this;
        }

        public D2cGenerator build() {
            if (model == null || settings == null || decoder == null || latentScale == null) {
                throw new IllegalArgumentException("setModel, setSampling, setDecoder and setLatentScale are required");
            }
            if (batchSize < 1) {
                throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
            }
            FusionKind fusion = model.config().fusion();
            if (fusion.usesDiscreteTokens() != (stage1 != null)) {
                throw new IllegalArgumentException("fusion " + fusion.key() + (fusion.usesDiscreteTokens()
                        ? " needs stage one (optStage1)" : " takes no stage one"));
            }
            if (stage1 != null && stage1Settings == null) {
                throw new IllegalArgumentException("optStage1: stage one's sampling settings are required");
            }
            return new D2cGenerator(this);
        }
    }
}
