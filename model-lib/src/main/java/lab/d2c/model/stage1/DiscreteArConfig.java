package lab.d2c.model.stage1;

/**
 * The stage-one discrete autoregressive model's sizes (paper section 4.1), after LlamaGen's
 * {@code ModelArgs} (autoregressive/models/gpt.py). Sizes are configuration; the vocabulary, grid
 * and classes come from the tokenizer and the dataset.
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

    public DiscreteArConfig {
        atLeast("vocabSize", vocabSize, 2);
        atLeast("grid", grid, 1);
        atLeast("numClasses", numClasses, 1);
        atLeast("width", width, 4);
        atLeast("depth", depth, 1);
        atLeast("heads", heads, 1);
        atLeast("classTokens", classTokens, 1);
        atLeast("ffnMultipleOf", ffnMultipleOf, 1);
        if (width % heads != 0 || (width / heads) % 4 != 0) {
            throw new IllegalArgumentException("DiscreteArConfig.heads: width / heads must be a whole multiple of 4 "
                    + "(2D RoPE), got width " + width + " and heads " + heads);
        }
        if (!(normEps > 0) || !Double.isFinite(normEps)) {
            throw new IllegalArgumentException("DiscreteArConfig.normEps: must be a finite number > 0, got " + normEps);
        }
        if (!(ropeBase > 1) || !Double.isFinite(ropeBase)) {
            throw new IllegalArgumentException("DiscreteArConfig.ropeBase: must be a finite number > 1, got " + ropeBase);
        }
        probability("tokenDropout", tokenDropout);
        probability("residDropout", residDropout);
        probability("ffnDropout", ffnDropout);
        probability("classDropout", classDropout);
    }

    /** A few minutes on 2 cores for an 8x8 grid: width 128, 4 blocks, 4 heads. */
    public static DiscreteArConfig tiny(int vocabSize, int grid, int numClasses) {
        return new DiscreteArConfig(vocabSize, grid, numClasses, 128, 4, 4, 1, 32, 1e-5, 10000, 0.1, 0.1, 0.1, 0.1);
    }

    /** LlamaGen GPT-B: width 768, 12 blocks, 12 heads (111M parameters with a 16384 codebook and 1000 classes). */
    public static DiscreteArConfig b(int vocabSize, int grid, int numClasses) {
        return new DiscreteArConfig(vocabSize, grid, numClasses, 768, 12, 12, 1, 256, 1e-5, 10000, 0.1, 0.1, 0.1, 0.1);
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
        return new DiscreteArConfig(vocabSize, grid, numClasses, width, depth, heads, classTokens, ffnMultipleOf,
                normEps, ropeBase, token, resid, ffn, cls);
    }

    public DiscreteArConfig withSizes(int newWidth, int newDepth, int newHeads) {
        return new DiscreteArConfig(vocabSize, grid, numClasses, newWidth, newDepth, newHeads, classTokens,
                ffnMultipleOf, normEps, ropeBase, tokenDropout, residDropout, ffnDropout, classDropout);
    }

    private static void atLeast(String field, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException("DiscreteArConfig." + field + ": must be >= " + min + ", got " + value);
        }
    }

    private static void probability(String field, double p) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("DiscreteArConfig." + field + ": must be in [0, 1), got " + p);
        }
    }
}
