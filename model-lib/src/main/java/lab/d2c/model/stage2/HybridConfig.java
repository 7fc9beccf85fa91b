package lab.d2c.model.stage2;

import lab.d2c.model.diffusion.NoiseSchedule;

/**
 * The stage-two hybrid model's sizes and regularization (one record per model, as LlamaGen's
 * {@code ModelArgs}). Field names follow the {@code stage2.*} config keys.
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
 * @param noiseSchedule     {@code linear}, {@code cosine}, {@code sin} or {@code pow(phi)}
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
        int headWidth, int headDepth, int diffusionBatchMul, String noiseSchedule, int samplingSteps,
        DiscretePositions discretePositions,
        boolean learnSigma) {

    /** Standard deviation of the learned embeddings' initialization (MAR). */
    public static final float INIT_STD = 0.02f;

    public HybridConfig {
        positive("grid", grid);
        positive("token_channels", tokenChannels);
        positive("num_classes", numClasses);
        positive("vocab_size", vocabSize);
        heads("encoder", encoderWidth, encoderDepth, encoderHeads);
        heads("decoder", decoderWidth, decoderDepth, decoderHeads);
        if (!(mlpRatio > 0)) {
            throw new IllegalArgumentException("stage2.mlp_ratio must be > 0, got " + mlpRatio);
        }
        positive("buffer_size", bufferSize);
        if (fusion == null) {
            throw new IllegalArgumentException("stage2.fusion is required: one of " + FusionKind.keys());
        }
        if (fusion.qFormer()) {
            if (queries < 1 || queries > bufferSize) {
                throw new IllegalArgumentException("stage2.queries must be in [1, buffer_size = " + bufferSize
                        + "] for " + fusion.key() + " (the queries take buffer slots), got " + queries);
            }
            positive("qformer_depth", qformerDepth);
        }
        positive("discrete_width", discreteWidth);
        if (!(maskRatioMin > 0 && maskRatioMin < 1)) {
            throw new IllegalArgumentException("stage2.mask_ratio_min must be in (0, 1), got " + maskRatioMin);
        }
        probability("class_dropout", classDropout);
        probability("discrete_dropout", discreteDropout);
        probability("attention_dropout", attentionDropout);
        probability("projection_dropout", projectionDropout);
        positive("head_width", headWidth);
        positive("head_depth", headDepth);
        positive("diffusion_batch_mul", diffusionBatchMul);
        String problem = NoiseSchedule.problem(noiseSchedule);
        if (problem != null) {
            throw new IllegalArgumentException("stage2.noise_schedule: " + problem);
        }
        if (samplingSteps < 1 || samplingSteps > NoiseSchedule.TRAINING_STEPS) {
            throw new IllegalArgumentException("stage2.sampling_steps must be in [1, 1000], got " + samplingSteps);
        }
        if (discretePositions == null) {
            throw new IllegalArgumentException("stage2.discrete_positions is required: one of "
                    + DiscretePositions.keys());
        }
    }

    private static void positive(String key, int v) {
        if (v < 1) {
            throw new IllegalArgumentException("stage2." + key + " must be >= 1, got " + v);
        }
    }

    private static void heads(String part, int width, int depth, int heads) {
        positive(part + "_width", width);
        positive(part + "_depth", depth);
        positive(part + "_heads", heads);
        if (width % heads != 0) {
            throw new IllegalArgumentException("stage2." + part + "_width (" + width + ") must be a multiple of "
                    + "stage2." + part + "_heads (" + heads + ")");
        }
    }

    private static void probability(String key, double p) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("stage2." + key + " must be in [0, 1), got " + p);
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
        return new HybridConfig(grid, tokenChannels, numClasses, vocabSize, 64, 2, 4, 64, 2, 4, 4.0, 16, fusion, 4, 1,
                64, 0.7, 0.1, 0.1, 0.0, 0.0, 128, 2, 4, "cosine", 100, DiscretePositions.LEARNED, true);
    }

    /** D2C-B: MAR-B's MAE (768 x 12 + 12, 12 heads, buffer 64), head 1024 x 6, 16 queries, LlamaGen-B's 768-wide embedding. */
    public static HybridConfig b(int grid, int tokenChannels, int numClasses, int vocabSize, FusionKind fusion) {
        return new HybridConfig(grid, tokenChannels, numClasses, vocabSize, 768, 12, 12, 768, 12, 12, 4.0, 64, fusion,
                16, 2, 768, 0.7, 0.1, 0.1, 0.1, 0.1, 1024, 6, 4, "cosine", 100, DiscretePositions.LEARNED, true);
    }

    public HybridConfig withFusion(FusionKind newFusion, int newQueries) {
        return new HybridConfig(grid, tokenChannels, numClasses, vocabSize, encoderWidth, encoderDepth, encoderHeads,
                decoderWidth, decoderDepth, decoderHeads, mlpRatio, bufferSize, newFusion, newQueries, qformerDepth,
                discreteWidth, maskRatioMin, classDropout, discreteDropout, attentionDropout, projectionDropout,
                headWidth, headDepth, diffusionBatchMul, noiseSchedule, samplingSteps, discretePositions, learnSigma);
    }

    public HybridConfig withDropout(double cls, double discrete, double attention, double projection) {
        return new HybridConfig(grid, tokenChannels, numClasses, vocabSize, encoderWidth, encoderDepth, encoderHeads,
                decoderWidth, decoderDepth, decoderHeads, mlpRatio, bufferSize, fusion, queries, qformerDepth,
                discreteWidth, maskRatioMin, cls, discrete, attention, projection, headWidth, headDepth,
                diffusionBatchMul, noiseSchedule, samplingSteps, discretePositions, learnSigma);
    }

    public HybridConfig withDiscretePositions(DiscretePositions positions) {
        return new HybridConfig(grid, tokenChannels, numClasses, vocabSize, encoderWidth, encoderDepth, encoderHeads,
                decoderWidth, decoderDepth, decoderHeads, mlpRatio, bufferSize, fusion, queries, qformerDepth,
                discreteWidth, maskRatioMin, classDropout, discreteDropout, attentionDropout, projectionDropout,
                headWidth, headDepth, diffusionBatchMul, noiseSchedule, samplingSteps, positions, learnSigma);
    }
}
