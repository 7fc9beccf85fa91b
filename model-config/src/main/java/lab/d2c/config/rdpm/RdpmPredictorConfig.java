package lab.d2c.config.rdpm;

import static lab.d2c.config.ConfigValues.integer;
import static lab.d2c.config.ConfigValues.number;

import com.fasterxml.jackson.databind.JsonNode;
import lab.d2c.config.ConfigRules;
import lab.d2c.config.LlamaStackBuilder;

/**
 * The sizes of RDPM's recurrent token predictor (arXiv:2412.18390, section 3.2 and section 4.2: a Llama-style
 * transformer over the h x w positions, timestep and class through AdaLN-Zero, logits over the K codes).
 * The codebook, grid, steps and classes come from the tokenizer and the dataset; the rest is configuration.
 * Built from a config tree by {@link #fromConfig} (the {@code rdpm.predictor.*} keys), otherwise with
 * {@link #builder()}, whose defaults are the paper's depth-12 model ({@link #b}).
 *
 * @param vocabSize     codebook size K: codes are in [0, vocabSize)
 * @param codeDim       a code vector's dimension d (the tokenizer's latent channels; 32 in section 4.2)
 * @param grid          positions per side: the predictor sees grid^2 tokens
 * @param steps         T, the tokenizer's diffusion steps (10 in section 4.3)
 * @param numClasses    classes; id numClasses is the learned null class of classifier-free guidance
 * @param width         transformer width (section 4.2: depth x 64)
 * @param depth         transformer blocks
 * @param heads         attention heads (section 4.2: equal to the depth)
 * @param ffnMultipleOf the SwiGLU hidden width, Llama's 8/3 x width, is rounded up to a multiple of this
 * @param normEps       RMSNorm epsilon (1e-5)
 * @param classDropout  probability a training label becomes the null class (section 4.2: 10%)
 */
public record RdpmPredictorConfig(int vocabSize, int codeDim, int grid, int steps, int numClasses, int width,
        int depth, int heads, int ffnMultipleOf, double normEps, double classDropout) {

    /** Standard deviation of the learned embeddings' initialization (DiT, LlamaGen). */
    public static final float INIT_STD = 0.02f;

    private static final String P = "rdpm.predictor.";

    public RdpmPredictorConfig {
        ConfigRules rules = new ConfigRules()
                .atLeast(P + "vocab_size", vocabSize, 2)
                .atLeast(P + "code_dim", codeDim, 1)
                .atLeast(P + "grid", grid, 1)
                .atLeast(P + "steps", steps, 1)
                .atLeast(P + "num_classes", numClasses, 1)
                .atLeast(P + "width", width, 1)
                .atLeast(P + "depth", depth, 1)
                .atLeast(P + "heads", heads, 1)
                .atLeast(P + "ffn_multiple_of", ffnMultipleOf, 1);
        if (heads >= 1) {
            rules.check(width % heads == 0, P + "heads", P + "width " + width + " is not a multiple of " + P
                    + "heads " + heads);
        }
        rules.check(normEps > 0 && Double.isFinite(normEps), P + "norm_eps",
                        P + "norm_eps must be a finite number > 0, got " + normEps)
                .probability(P + "class_dropout", classDropout)
                .throwIfBroken();
    }

    /**
     * The predictor a config tree's {@code rdpm.predictor} section describes, for a tokenizer and data of these sizes.
     *
     * @param vocabSize  the tokenizer's codebook size
     * @param codeDim    the tokenizer's code dimension
     * @param grid       positions per side (data.image_size over the tokenizer's stride)
     * @param steps      the tokenizer's T
     * @param numClasses the dataset's classes
     * @throws lab.d2c.config.ConfigException naming each bad key
     */
    public static RdpmPredictorConfig fromConfig(JsonNode config, int vocabSize, int codeDim, int grid, int steps,
            int numClasses) {
        return builder().setVocabSize(vocabSize).setCodeDim(codeDim).setGrid(grid).setSteps(steps)
                .setNumClasses(numClasses)
                .optWidth(integer(config, P + "width"))
                .optDepth(integer(config, P + "depth"))
                .optHeads(integer(config, P + "heads"))
                .optFfnMultipleOf(integer(config, P + "ffn_multiple_of"))
                .optNormEps(number(config, P + "norm_eps"))
                .optClassDropout(number(config, P + "class_dropout"))
                .build();
    }

    /** A CPU-sized predictor: width 64, 2 blocks, 4 heads, SwiGLU rounded to 32. */
    public static RdpmPredictorConfig tiny(int vocabSize, int codeDim, int grid, int steps, int numClasses) {
        return builder().setVocabSize(vocabSize).setCodeDim(codeDim).setGrid(grid).setSteps(steps)
                .setNumClasses(numClasses).optWidth(64).optDepth(2).optHeads(4).optFfnMultipleOf(32).build();
    }

    /** The paper's depth-12 model (Table 1: width 768, 12 heads, 133M parameters at K = 4096 and 1000 classes). */
    public static RdpmPredictorConfig b(int vocabSize, int codeDim, int grid, int steps, int numClasses) {
        return builder().setVocabSize(vocabSize).setCodeDim(codeDim).setGrid(grid).setSteps(steps)
                .setNumClasses(numClasses).build();
    }

    /** Positions per image, grid^2. */
    public int tokens() {
        return grid * grid;
    }

    public int headDim() {
        return width / heads;
    }

    /** The id of the null class (classifier-free guidance's unconditional input). */
    public int nullClass() {
        return numClasses;
    }

    /** A builder whose optional values are the depth-12 model's ({@link #b}); the data's sizes are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding every value of this config. */
    public Builder toBuilder() {
        return builder().setVocabSize(vocabSize).setCodeDim(codeDim).setGrid(grid).setSteps(steps)
                .setNumClasses(numClasses).optWidth(width).optDepth(depth).optHeads(heads)
                .optFfnMultipleOf(ffnMultipleOf).optNormEps(normEps).optClassDropout(classDropout);
    }

    /** Builds a {@link RdpmPredictorConfig}: {@code setX} for the data's sizes, {@code optX} for the rest. */
    public static final class Builder extends LlamaStackBuilder<Builder> {

        private int codeDim;
        private int steps;

        private Builder() {
        }

        @Override
        protected Builder self() {
            return this;
        }

        public Builder setCodeDim(int codeDim) {
            this.codeDim = codeDim;
            return this;
        }

        public Builder setSteps(int steps) {
            this.steps = steps;
            return this;
        }

        /** @throws lab.d2c.config.ConfigException naming each bad key */
        public RdpmPredictorConfig build() {
            return new RdpmPredictorConfig(vocabSize, codeDim, grid, steps, numClasses, width, depth, heads,
                    ffnMultipleOf, normEps, classDropout);
        }
    }
}
