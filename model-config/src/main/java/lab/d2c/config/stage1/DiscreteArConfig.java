package lab.d2c.config.stage1;

import static lab.d2c.config.ConfigValues.integer;
import static lab.d2c.config.ConfigValues.number;

import com.fasterxml.jackson.databind.JsonNode;
import lab.d2c.config.ConfigRules;
import lab.d2c.config.LlamaStackBuilder;

/**
 * The stage-one discrete autoregressive model's sizes (paper section 4.1), after LlamaGen's
 * {@code ModelArgs} (autoregressive/models/gpt.py). Sizes are configuration; the vocabulary, grid
 * and classes come from the tokenizer and the dataset. Built from a config tree by {@link #fromConfig}, both
 * when a sweep is submitted and when the node trains; otherwise with {@link #builder()} (GPT-B's defaults).
 *
 * @param vocabSize     VQ codebook size: token ids are in [0, vocabSize)
 * @param grid          tokens per side; a sequence has grid^2 tokens in raster order
 * @param numClasses    classes; id numClasses is the learned null class of classifier-free guidance
 * @param width         model width d (LlamaGen {@code dim})
 * @param depth         transformer blocks (LlamaGen {@code n_layer})
 * @param heads         attention heads; width / heads must be a multiple of 4 (2D RoPE rotates pairs on two axes)
 * @param classTokens   class-embedding tokens before the image tokens (LlamaGen {@code cls_token_num}, 1)
 * @param ffnMultipleOf SwiGLU hidden width rounded up to a multiple of this (LlamaGen {@code multiple_of}, 256)
 * @param normEps       RMSNorm epsilon (1e-5)
 * @param ropeBase      RoPE base (10000)
 * @param tokenDropout  dropout on the input embeddings (LlamaGen {@code token_dropout_p}, 0.1)
 * @param residDropout  dropout on the attention output (LlamaGen {@code resid_dropout_p}, 0.1)
 * @param ffnDropout    dropout on the feed-forward output (LlamaGen {@code ffn_dropout_p}, 0.1)
 * @param classDropout  probability a training label becomes the null class (LlamaGen {@code class_dropout_prob}, 0.1)
 */
public record DiscreteArConfig(int vocabSize, int grid, int numClasses, int width, int depth, int heads,
        int classTokens, int ffnMultipleOf, double normEps, double ropeBase, double tokenDropout, double residDropout,
        double ffnDropout, double classDropout) {

    /** LlamaGen's init: every linear and embedding weight from N(0, 0.02^2); the output layer starts at zero. */
    public static final float INIT_STD = 0.02f;

    private static final String P = "stage1.";

    public DiscreteArConfig {
        ConfigRules rules = new ConfigRules()
                .atLeast(P + "vocab_size", vocabSize, 2)
                .atLeast(P + "grid", grid, 1)
                .atLeast(P + "num_classes", numClasses, 1)
                .atLeast(P + "width", width, 4)
                .atLeast(P + "depth", depth, 1)
                .atLeast(P + "heads", heads, 1)
                .atLeast(P + "class_tokens", classTokens, 1)
                .atLeast(P + "ffn_multiple_of", ffnMultipleOf, 1);
        if (heads >= 1) {
            rules.check(width % heads == 0 && (width / heads) % 4 == 0, P + "heads", P + "width " + width + " / " + P
                    + "heads " + heads + " must be a whole multiple of 4 (2D RoPE rotates pairs by row and by column)");
        }
        rules.check(normEps > 0 && Double.isFinite(normEps), P + "norm_eps",
                        P + "norm_eps must be a finite number > 0, got " + normEps)
                .check(ropeBase > 1 && Double.isFinite(ropeBase), P + "rope_base",
                        P + "rope_base must be a finite number > 1, got " + ropeBase)
                .probability(P + "token_dropout", tokenDropout)
                .probability(P + "resid_dropout", residDropout)
                .probability(P + "ffn_dropout", ffnDropout)
                .probability(P + "class_dropout", classDropout)
                .throwIfBroken();
    }

    /**
     * The model a config tree's {@code stage1} section describes, for data of these sizes.
     *
     * @param vocabSize  the VQ codebook size
     * @param grid       tokens per side (data.image_size over the VQ stride)
     * @param numClasses the dataset's classes
     * @throws lab.d2c.config.ConfigException naming each bad key
     */
    public static DiscreteArConfig fromConfig(JsonNode config, int vocabSize, int grid, int numClasses) {
        return builder().setVocabSize(vocabSize).setGrid(grid).setNumClasses(numClasses)
                .optWidth(integer(config, P + "width"))
                .optDepth(integer(config, P + "depth"))
                .optHeads(integer(config, P + "heads"))
                .optClassTokens(integer(config, P + "class_tokens"))
                .optFfnMultipleOf(integer(config, P + "ffn_multiple_of"))
                .optNormEps(number(config, P + "norm_eps"))
                .optRopeBase(number(config, P + "rope_base"))
                .optTokenDropout(number(config, P + "token_dropout"))
                .optResidDropout(number(config, P + "resid_dropout"))
                .optFfnDropout(number(config, P + "ffn_dropout"))
                .optClassDropout(number(config, P + "class_dropout"))
                .build();
    }

    /** A few minutes on 2 cores for an 8x8 grid: width 128, 4 blocks, 4 heads. */
    public static DiscreteArConfig tiny(int vocabSize, int grid, int numClasses) {
        return builder().setVocabSize(vocabSize).setGrid(grid).setNumClasses(numClasses)
                .optWidth(128).optDepth(4).optHeads(4).optFfnMultipleOf(32).build();
    }

    /** LlamaGen GPT-B: width 768, 12 blocks, 12 heads (111M parameters with a 16384 codebook and 1000 classes). */
    public static DiscreteArConfig b(int vocabSize, int grid, int numClasses) {
        return builder().setVocabSize(vocabSize).setGrid(grid).setNumClasses(numClasses).build();
    }

    public int headDim() {
        return width / heads;
    }

    /** Image tokens per sequence, grid^2. */
    public int tokens() {
        return grid * grid;
    }

    /** Positions the model ever sees: the class tokens and every image token. */
    public int maxPositions() {
        return classTokens + tokens();
    }

    /** The id of the null class (classifier-free guidance's unconditional input). */
    public int nullClass() {
        return numClasses;
    }

    public DiscreteArConfig withDropout(double token, double resid, double ffn, double cls) {
        return toBuilder().optTokenDropout(token).optResidDropout(resid).optFfnDropout(ffn).optClassDropout(cls)
                .build();
    }

    public DiscreteArConfig withSizes(int newWidth, int newDepth, int newHeads) {
        return toBuilder().optWidth(newWidth).optDepth(newDepth).optHeads(newHeads).build();
    }

    /** A builder whose optional values are GPT-B's ({@link #b}); vocabulary, grid and classes are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding every value of this config. */
    public Builder toBuilder() {
        return builder().setVocabSize(vocabSize).setGrid(grid).setNumClasses(numClasses).optWidth(width)
                .optDepth(depth).optHeads(heads).optClassTokens(classTokens).optFfnMultipleOf(ffnMultipleOf)
                .optNormEps(normEps).optRopeBase(ropeBase).optTokenDropout(tokenDropout)
                .optResidDropout(residDropout).optFfnDropout(ffnDropout).optClassDropout(classDropout);
    }

    /** Builds a {@link DiscreteArConfig}: {@code setX} for the data's sizes, {@code optX} for the rest (GPT-B's defaults). */
    public static final class Builder extends LlamaStackBuilder<Builder> {

        private int classTokens = 1;
        private double ropeBase = 10000;
        private double tokenDropout = 0.1;
        private double residDropout = 0.1;
        private double ffnDropout = 0.1;

        private Builder() {
        }

        @Override
        protected Builder self() {
            return this;
        }

        public Builder optClassTokens(int classTokens) {
            this.classTokens = classTokens;
            return this;
        }

        public Builder optRopeBase(double ropeBase) {
            this.ropeBase = ropeBase;
            return this;
        }

        public Builder optTokenDropout(double tokenDropout) {
            this.tokenDropout = tokenDropout;
            return this;
        }

        public Builder optResidDropout(double residDropout) {
            this.residDropout = residDropout;
            return this;
        }

        public Builder optFfnDropout(double ffnDropout) {
            this.ffnDropout = ffnDropout;
            return this;
        }

        /** @throws lab.d2c.config.ConfigException naming each bad key */
        public DiscreteArConfig build() {
            return new DiscreteArConfig(vocabSize, grid, numClasses, width, depth, heads, classTokens, ffnMultipleOf,
                    normEps, ropeBase, tokenDropout, residDropout, ffnDropout, classDropout);
        }
    }
}
