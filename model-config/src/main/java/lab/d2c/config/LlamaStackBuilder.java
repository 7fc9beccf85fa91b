package lab.d2c.config;

/**
 * The part of a class-conditional Llama-style model's builder that stage one (LlamaGen's GPT) and RDPM's
 * recurrent token predictor share: the vocabulary, grid and classes, set from the tokenizer and the data,
 * and the transformer's shape, whose defaults are GPT-B's (768 wide, 12 blocks of 12 heads, SwiGLU hidden
 * size rounded to 256, RMSNorm eps 1e-5, class dropout 0.1 for classifier-free guidance).
 *
 * @param <B> the concrete builder, returned by every setter so calls chain
 */
public abstract class LlamaStackBuilder<B extends LlamaStackBuilder<B>> {

    protected int vocabSize;
    protected int grid;
    protected int numClasses;
    protected int width = 768;
    protected int depth = 12;
    protected int heads = 12;
    protected int ffnMultipleOf = 256;
    protected double normEps = 1e-5;
    protected double classDropout = 0.1;

    protected LlamaStackBuilder() {
    }

    /** This builder, typed as its subclass. */
    protected abstract B self();

    public B setVocabSize(int vocabSize) {
        this.vocabSize = vocabSize;
        return self();
    }

    public B setGrid(int grid) {
        this.grid = grid;
        return self();
    }

    public B setNumClasses(int numClasses) {
        this.numClasses = numClasses;
        return self();
    }

    public B optWidth(int width) {
        this.width = width;
        return self();
    }

    public B optDepth(int depth) {
        this.depth = depth;
        return self();
    }

    public B optHeads(int heads) {
        this.heads = heads;
        return self();
    }

    public B optFfnMultipleOf(int ffnMultipleOf) {
        this.ffnMultipleOf = ffnMultipleOf;
        return self();
    }

    public B optNormEps(double normEps) {
        this.normEps = normEps;
        return self();
    }

    public B optClassDropout(double classDropout) {
        this.classDropout = classDropout;
        return self();
    }
}
