package lab.d2c.config.stage2;

import static lab.d2c.config.ConfigValues.bool;
import static lab.d2c.config.ConfigValues.integer;
import static lab.d2c.config.ConfigValues.number;
import static lab.d2c.config.ConfigValues.parse;

import com.fasterxml.jackson.databind.JsonNode;
import lab.d2c.config.ConfigRules;
import lab.d2c.config.diffusion.NoiseScheduleKind;

/**
 * The stage-two hybrid model's sizes and regularization (one record per model, as LlamaGen's
 * {@code ModelArgs}). Field names follow the {@code stage2.*} config keys. Built from a config tree by
 * {@link #fromConfig}, both when a sweep is submitted and when the node trains, so a config the model
 * would refuse never launches; otherwise with {@link #builder()}, whose defaults are D2C-B's ({@link #b}).
 *
 * @param grid              tokens per side of both tokenizers' grids (equal strides, section 4.2)
 * @param tokenChannels     channels of a continuous token (the VAE's latent channels)
 * @param numClasses        classes; the fake class is learned separately
 * @param vocabSize         the VQ codebook size (discrete token ids)
 * @param encoderWidth      MAE encoder width (MAR-B 768)
 * @param encoderDepth      encoder blocks
 * @param encoderHeads      encoder attention heads
 * @param decoderWidth      MAE decoder width
 * @param decoderDepth      decoder blocks
 * @param decoderHeads      decoder attention heads
 * @param mlpRatio          feed-forward hidden width over the block width (4)
 * @param bufferSize        class-token slots before the sequence (64 in the paper)
 * @param fusion            how the discrete tokens enter
 * @param queries           Q-Former queries L (taking L of the buffer slots)
 * @param qformerDepth      Q-Former blocks in its encoder and in its decoder
 * @param discreteWidth     width of the discrete token embedding (stage one's width when copied)
 * @param maskRatioMin      lower bound of the training mask ratio (0.7)
 * @param classDropout      probability a sample's class becomes the fake class (0.1)
 * @param discreteDropout   probability its discrete tokens become the fake tokens (0.1)
 * @param attentionDropout  dropout on attention weights (MAR 0.1)
 * @param projectionDropout dropout after attention and MLP projections (MAR 0.1)
 * @param headWidth         diffusion head width (MAR-B 1024)
 * @param headDepth         diffusion head residual blocks (MAR-B 6)
 * @param diffusionBatchMul times each token is repeated with fresh (t, eps) in the loss (4)
 * @param noiseSchedule     the head's noise schedule, MAR's {@code linear} or {@code cosine}
 * @param samplingSteps     diffusion steps when sampling (100)
 * @param discretePositions whether the attention fusions' discrete features get a learned position term
 *                          ({@link DiscretePositions}; {@code learned} is the default, {@code none} Eq. 4 as written)
 * @param learnSigma        the head learns its variance (MAR's {@code learn_sigma=True}: output 2C, MSE
 *                          plus the variational bound, LEARNED_RANGE sampling); false: noise only with
 *                          the fixed small variance
 */
public record HybridConfig(int grid, int tokenChannels, int numClasses, int vocabSize, int encoderWidth,
        int encoderDepth, int encoderHeads, int decoderWidth, int decoderDepth, int decoderHeads, double mlpRatio,
        int bufferSize, FusionKind fusion, int queries, int qformerDepth, int discreteWidth, double maskRatioMin,
        double classDropout, double discreteDropout, double attentionDropout, double projectionDropout,
        int headWidth, int headDepth, int diffusionBatchMul, NoiseScheduleKind noiseSchedule, int samplingSteps,
        DiscretePositions discretePositions,
        boolean learnSigma) {

    /** Standard deviation of the learned embeddings' initialization (MAR). */
    public static final float INIT_STD = 0.02f;

    private static final String P = "stage2.";

    public HybridConfig {
        ConfigRules rules = new ConfigRules();
        rules.atLeast(P + "grid", grid, 1)
                .atLeast(P + "token_channels", tokenChannels, 1)
                .atLeast(P + "num_classes", numClasses, 1)
                .atLeast(P + "vocab_size", vocabSize, 1);
        heads(rules, "encoder", encoderWidth, encoderDepth, encoderHeads);
        heads(rules, "decoder", decoderWidth, decoderDepth, decoderHeads);
        rules.check(mlpRatio > 0, P + "mlp_ratio", P + "mlp_ratio must be > 0, got " + mlpRatio)
                .atLeast(P + "buffer_size", bufferSize, 1)
                .required(P + "fusion", fusion, FusionKind.keys());
        if (fusion != null && fusion.qFormer()) {
            // the Q-Former's L outputs take L of the buffer's slots (paper section 5.3)
            rules.check(queries >= 1 && queries <= bufferSize, P + "queries", P + "queries must be in [1, buffer_size = "
                    + bufferSize + "] for " + fusion.key() + " (the queries take buffer slots), got " + queries)
                    .atLeast(P + "qformer_depth", qformerDepth, 1);
        }
        rules.atLeast(P + "discrete_width", discreteWidth, 1)
                .check(maskRatioMin > 0 && maskRatioMin < 1, P + "mask_ratio_min",
                        P + "mask_ratio_min must be in (0, 1), got " + maskRatioMin)
                .probability(P + "class_dropout", classDropout)
                .probability(P + "discrete_dropout", discreteDropout)
                .probability(P + "attention_dropout", attentionDropout)
                .probability(P + "projection_dropout", projectionDropout)
                .atLeast(P + "head_width", headWidth, 1)
                .atLeast(P + "head_depth", headDepth, 1)
                .atLeast(P + "diffusion_batch_mul", diffusionBatchMul, 1)
                .required(P + "noise_schedule", noiseSchedule, lab.d2c.config.ConfigEnum.joinedKeys(NoiseScheduleKind.class))
                .check(samplingSteps >= 1 && samplingSteps <= NoiseScheduleKind.TRAINING_STEPS, P + "sampling_steps",
                        P + "sampling_steps must be in [1, " + NoiseScheduleKind.TRAINING_STEPS + "], got " + samplingSteps)
                .required(P + "discrete_positions", discretePositions, DiscretePositions.keys())
                .throwIfBroken();
    }

    private static void heads(ConfigRules rules, String part, int width, int depth, int heads) {
        String p = P + part;
        rules.atLeast(p + "_width", width, 1).atLeast(p + "_depth", depth, 1).atLeast(p + "_heads", heads, 1);
        if (heads >= 1) {
            rules.check(width % heads == 0, p + "_heads", p + "_width " + width + " is not a multiple of " + p
                    + "_heads " + heads);
        }
    }

    /**
     * The model a config tree's {@code stage2} section describes, for data of these sizes (the
     * {@code stage2.*} keys; each value the data decides comes from the caller).
     *
     * @param config        the nested config
     * @param grid          tokens per side (data.image_size over the tokenizers' stride)
     * @param tokenChannels the KL-VAE's latent channels
     * @param numClasses    the dataset's classes
     * @param vocabSize     the VQ codebook size
     * @param discreteWidth the discrete embedding's width: stage one's width when stage two reads discrete
     *                      tokens (its table can be copied in), else the encoder width
     * @throws lab.d2c.config.ConfigException naming each bad key
     */
    public static HybridConfig fromConfig(JsonNode config, int grid, int tokenChannels, int numClasses, int vocabSize,
            int discreteWidth) {
        FusionKind fusion = fusion(config);
        return builder().setGrid(grid).setTokenChannels(tokenChannels).setNumClasses(numClasses)
                .setVocabSize(vocabSize)
                .optEncoderWidth(integer(config, P + "encoder_width"))
                .optEncoderDepth(integer(config, P + "encoder_depth"))
                .optEncoderHeads(integer(config, P + "encoder_heads"))
                .optDecoderWidth(integer(config, P + "decoder_width"))
                .optDecoderDepth(integer(config, P + "decoder_depth"))
                .optDecoderHeads(integer(config, P + "decoder_heads"))
                .optMlpRatio(number(config, P + "mlp_ratio"))
                .optBufferSize(integer(config, P + "buffer_size"))
                .setFusion(fusion)
                .optQueries(integer(config, P + "queries"))
                .optQformerDepth(integer(config, P + "qformer_depth"))
                .optDiscreteWidth(discreteWidth)
                .optMaskRatioMin(number(config, P + "mask_ratio_min"))
                .optClassDropout(number(config, P + "class_dropout"))
                .optDiscreteDropout(number(config, P + "discrete_dropout"))
                .optAttentionDropout(number(config, P + "attention_dropout"))
                .optProjectionDropout(number(config, P + "projection_dropout"))
                .optHeadWidth(integer(config, P + "head_width"))
                .optHeadDepth(integer(config, P + "head_depth"))
                .optDiffusionBatchMul(integer(config, P + "diffusion_batch_mul"))
                .optNoiseSchedule(parse(config, P + "noise_schedule", HybridConfig::noiseSchedule))
                .optSamplingSteps(integer(config, P + "sampling_steps"))
                .optDiscretePositions(parse(config, P + "discrete_positions", DiscretePositions::of))
                .optLearnSigma(bool(config, P + "learn_sigma"))
                .build();
    }

    /** The fusion kind of a config tree ({@code stage2.fusion}). */
    public static FusionKind fusion(JsonNode config) {
        return parse(config, P + "fusion", FusionKind::of);
    }

    private static NoiseScheduleKind noiseSchedule(String spec) {
        try {
            return NoiseScheduleKind.of(spec);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(P + "noise_schedule: " + e.getMessage(), e);
        }
    }

    /** Tokens per image. */
    public int tokens() {
        return grid * grid;
    }

    /**
     * A CPU-sized model: widths 64, 2 + 2 blocks, buffer 16 with 4 queries, head 128 x 2, no
     * attention/projection dropout (a short run underfits; MAR's 0.1 is for 400 epochs).
     */
    public static HybridConfig tiny(int grid, int tokenChannels, int numClasses, int vocabSize, FusionKind fusion) {
        return builder().setGrid(grid).setTokenChannels(tokenChannels).setNumClasses(numClasses)
                .setVocabSize(vocabSize).setFusion(fusion)
                .optEncoderWidth(64).optEncoderDepth(2).optEncoderHeads(4)
                .optDecoderWidth(64).optDecoderDepth(2).optDecoderHeads(4)
                .optBufferSize(16).optQueries(4).optQformerDepth(1).optDiscreteWidth(64)
                .optHeadWidth(128).optHeadDepth(2)
                .optAttentionDropout(0.0).optProjectionDropout(0.0)
                .build();
    }

    /** D2C-B: MAR-B's MAE (768 x 12 + 12, 12 heads, buffer 64), head 1024 x 6, 16 queries, LlamaGen-B's 768-wide embedding. */
    public static HybridConfig b(int grid, int tokenChannels, int numClasses, int vocabSize, FusionKind fusion) {
        return builder().setGrid(grid).setTokenChannels(tokenChannels).setNumClasses(numClasses)
                .setVocabSize(vocabSize).setFusion(fusion).build();
    }

    public HybridConfig withFusion(FusionKind newFusion, int newQueries) {
        return toBuilder().setFusion(newFusion).optQueries(newQueries).build();
    }

    public HybridConfig withDropout(double cls, double discrete, double attention, double projection) {
        return toBuilder().optClassDropout(cls).optDiscreteDropout(discrete).optAttentionDropout(attention)
                .optProjectionDropout(projection).build();
    }

    public HybridConfig withDiscretePositions(DiscretePositions positions) {
        return toBuilder().optDiscretePositions(positions).build();
    }

    /** A builder whose optional values are D2C-B's ({@link #b}); grid, token channels, classes, vocabulary and fusion are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding every value of this config. */
    public Builder toBuilder() {
        return builder().setGrid(grid).setTokenChannels(tokenChannels).setNumClasses(numClasses)
                .setVocabSize(vocabSize).optEncoderWidth(encoderWidth).optEncoderDepth(encoderDepth)
                .optEncoderHeads(encoderHeads).optDecoderWidth(decoderWidth).optDecoderDepth(decoderDepth)
                .optDecoderHeads(decoderHeads).optMlpRatio(mlpRatio).optBufferSize(bufferSize).setFusion(fusion)
                .optQueries(queries).optQformerDepth(qformerDepth).optDiscreteWidth(discreteWidth)
                .optMaskRatioMin(maskRatioMin).optClassDropout(classDropout).optDiscreteDropout(discreteDropout)
                .optAttentionDropout(attentionDropout).optProjectionDropout(projectionDropout)
                .optHeadWidth(headWidth).optHeadDepth(headDepth).optDiffusionBatchMul(diffusionBatchMul)
                .optNoiseSchedule(noiseSchedule).optSamplingSteps(samplingSteps)
                .optDiscretePositions(discretePositions).optLearnSigma(learnSigma);
    }

    /** Builds a {@link HybridConfig}: {@code setX} for the required values, {@code optX} for the rest (D2C-B's defaults). */
    public static final class Builder {

        private int grid;
        private int tokenChannels;
        private int numClasses;
        private int vocabSize;
        private FusionKind fusion;
        private int encoderWidth = 768;
        private int encoderDepth = 12;
        private int encoderHeads = 12;
        private int decoderWidth = 768;
        private int decoderDepth = 12;
        private int decoderHeads = 12;
        private double mlpRatio = 4.0;
        private int bufferSize = 64;
        private int queries = 16;
        private int qformerDepth = 2;
        private int discreteWidth = 768;
        private double maskRatioMin = 0.7;
        private double classDropout = 0.1;
        private double discreteDropout = 0.1;
        private double attentionDropout = 0.1;
        private double projectionDropout = 0.1;
        private int headWidth = 1024;
        private int headDepth = 6;
        private int diffusionBatchMul = 4;
        private NoiseScheduleKind noiseSchedule = NoiseScheduleKind.COSINE;
        private int samplingSteps = 100;
        private DiscretePositions discretePositions = DiscretePositions.LEARNED;
        private boolean learnSigma = true;

        private Builder() {
        }

        public Builder setGrid(int grid) {
            this.grid = grid;
            return this;
        }

        public Builder setTokenChannels(int tokenChannels) {
            this.tokenChannels = tokenChannels;
            return this;
        }

        public Builder setNumClasses(int numClasses) {
            this.numClasses = numClasses;
            return this;
        }

        public Builder setVocabSize(int vocabSize) {
            this.vocabSize = vocabSize;
            return this;
        }

        public Builder setFusion(FusionKind fusion) {
            this.fusion = fusion;
            return this;
        }

        public Builder optEncoderWidth(int encoderWidth) {
            this.encoderWidth = encoderWidth;
            return this;
        }

        public Builder optEncoderDepth(int encoderDepth) {
            this.encoderDepth = encoderDepth;
            return this;
        }

        public Builder optEncoderHeads(int encoderHeads) {
            this.encoderHeads = encoderHeads;
            return this;
        }

        public Builder optDecoderWidth(int decoderWidth) {
            this.decoderWidth = decoderWidth;
            return this;
        }

        public Builder optDecoderDepth(int decoderDepth) {
            this.decoderDepth = decoderDepth;
            return this;
        }

        public Builder optDecoderHeads(int decoderHeads) {
            this.decoderHeads = decoderHeads;
            return this;
        }

        public Builder optMlpRatio(double mlpRatio) {
            this.mlpRatio = mlpRatio;
            return this;
        }

        public Builder optBufferSize(int bufferSize) {
            this.bufferSize = bufferSize;
            return this;
        }

        public Builder optQueries(int queries) {
            this.queries = queries;
            return this;
        }

        public Builder optQformerDepth(int qformerDepth) {
            this.qformerDepth = qformerDepth;
            return this;
        }

        public Builder optDiscreteWidth(int discreteWidth) {
            this.discreteWidth = discreteWidth;
            return this;
        }

        public Builder optMaskRatioMin(double maskRatioMin) {
            this.maskRatioMin = maskRatioMin;
            return this;
        }

        public Builder optClassDropout(double classDropout) {
            this.classDropout = classDropout;
            return this;
        }

        public Builder optDiscreteDropout(double discreteDropout) {
            this.discreteDropout = discreteDropout;
            return this;
        }

        public Builder optAttentionDropout(double attentionDropout) {
            this.attentionDropout = attentionDropout;
            return this;
        }

        public Builder optProjectionDropout(double projectionDropout) {
            this.projectionDropout = projectionDropout;
            return this;
        }

        public Builder optHeadWidth(int headWidth) {
            this.headWidth = headWidth;
            return this;
        }

        public Builder optHeadDepth(int headDepth) {
            this.headDepth = headDepth;
            return this;
        }

        public Builder optDiffusionBatchMul(int diffusionBatchMul) {
            this.diffusionBatchMul = diffusionBatchMul;
            return this;
        }

        public Builder optNoiseSchedule(NoiseScheduleKind noiseSchedule) {
            this.noiseSchedule = noiseSchedule;
            return this;
        }

        public Builder optSamplingSteps(int samplingSteps) {
            this.samplingSteps = samplingSteps;
            return this;
        }

        public Builder optDiscretePositions(DiscretePositions discretePositions) {
            this.discretePositions = discretePositions;
            return this;
        }

        public Builder optLearnSigma(boolean learnSigma) {
            this.learnSigma = learnSigma;
            return this;
        }

        /** @throws lab.d2c.config.ConfigException naming each bad key */
        public HybridConfig build() {
            return new HybridConfig(grid, tokenChannels, numClasses, vocabSize, encoderWidth, encoderDepth,
                    encoderHeads, decoderWidth, decoderDepth, decoderHeads, mlpRatio, bufferSize, fusion, queries,
                    qformerDepth, discreteWidth, maskRatioMin, classDropout, discreteDropout, attentionDropout,
                    projectionDropout, headWidth, headDepth, diffusionBatchMul, noiseSchedule, samplingSteps,
                    discretePositions, learnSigma);
        }
    }
}
