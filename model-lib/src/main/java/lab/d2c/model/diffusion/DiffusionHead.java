package lab.d2c.model.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Arrays;
import lab.d2c.model.nn.Dense;
import lab.d2c.model.nn.StepArrays;

/**
 * The small denoising MLP of the diffusion loss (MAR's {@code SimpleMLPAdaLN}, paper section 3,
 * Eq. 2): eps_theta(x_t | t, z) = Final(ResBlocks(Linear(x_t), y), y) with y = TimeEmbed(t) +
 * Linear(z). With {@code learnSigma} (MAR's choice: {@code out_channels = target_channels * 2} "for vlb
 * loss", LTH14/mar {@code models/diffloss.py} line 17) it outputs the noise and, after it, one
 * variance value per channel ({@link LearnedVariance}); without, the noise only (fixed variances).
 *
 * <p>Forward inputs: x_t [N, channels], the timestep sinusoid [N, 256] or [1, 256] when every row is at
 * the same step ({@link TimestepEmbedder#sinusoid}; the time embedding broadcasts over the rows), the
 * condition z [N, conditionWidth]; output [N, channels] or, learning the variance, [N, 2 channels]
 * (noise first, as MAR's {@code th.split(model_output, C, dim=1)}).
 *
 * <p>A fourth input, the row's index [N] (int64) into U distinct steps' sinusoids [U, 256] given as the
 * second, embeds each distinct step once and looks its rows up ({@link #rowsAtSteps}): the same function of
 * (x_t, t, z) as one sinusoid row per row, with the time MLP run on U rows instead of N.
 */
public final class DiffusionHead extends AbstractBlock {

    private final int channels;
    private final boolean learnSigma;
    private final int width;
    private final Linear inputProjection;
    private final TimestepEmbedder timeEmbedding;
    private final Linear conditionProjection;
    private final AdaLnResBlock[] blocks;
    private final AdaLnFinalLayer finalLayer;

    /**
     * @param channels   the token's channels (the VAE's latent channels)
     * @param width      the MLP width (MAR's {@code diffloss_w})
     * @param depth      residual blocks (MAR's {@code diffloss_d})
     * @param learnSigma whether the head also outputs the variance values (MAR: yes)
     */
    public DiffusionHead(int channels, int width, int depth, boolean learnSigma) {
        if (channels < 1 || width < 1 || depth < 1) {
            throw new IllegalArgumentException("DiffusionHead: channels, width and depth must be >= 1, got "
                    + channels + ", " + width + ", " + depth);
        }
        this.channels = channels;
        this.learnSigma = learnSigma;
        this.width = width;
        this.inputProjection = addChildBlock("input_proj", Dense.xavier(width));
        this.timeEmbedding = addChildBlock("time_embed", new TimestepEmbedder(width));
        this.conditionProjection = addChildBlock("cond_embed", Dense.xavier(width));
        this.blocks = new AdaLnResBlock[depth];
        for (int i = 0; i < depth; i++) {
            blocks[i] = addChildBlock("res_blocks_" + i, new AdaLnResBlock(width));
        }
        this.finalLayer = addChildBlock("final_layer", new AdaLnFinalLayer(width, outputChannels()));
    }

    /** The token's channels (the noise half of the output). */
    public int channels() {
        return channels;
    }

    /** Whether the output carries the variance values after the noise. */
    public boolean learnsSigma() {
        return learnSigma;
    }

    /** The output's width: 2 channels when learning the variance, else channels. */
    public int outputChannels() {
        return learnSigma ? 2 * channels : channels;
    }

    /**
     * eps_theta(x_t | t, z) of rows at different steps, each distinct step's time embedding computed once.
     * Training draws a step per row (16,384 rows in a tiny batch, at most {@code T} = 1000 distinct steps),
     * and the time MLP (256 to width to width per row) was as costly as a residual block of the head; its rows
     * are the same per step, so it runs on the distinct steps and each row looks its step's row up.
     *
     * @param x the rows' x_t [N, channels]
     * @param t the rows' steps (length N)
     * @param z the rows' conditions [N, conditionWidth]
     */
    public NDArray rowsAtSteps(ParameterStore store, NDArray x, int[] t, NDArray z, boolean training) {
        int[] distinct = Arrays.stream(t).distinct().sorted().toArray();
        long[] index = new long[t.length];
        for (int n = 0; n < t.length; n++) {
            index[n] = Arrays.binarySearch(distinct, t[n]);
        }
        NDManager m = x.getManager();
        NDArray sinusoids = TimestepEmbedder.sinusoid(m, distinct).toDevice(x.getDevice(), false);
        NDArray ids = m.create(index).toDevice(x.getDevice(), false);
        // sinusoids and ids stay on x's manager: made from Java values, they live in direct buffers that the
        // backward pass reads (the time MLP's weight gradient, the lookup's index), see StepArrays.release
        return forward(store, new NDList(x, sinusoids, z, ids), training).singletonOrThrow();
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputProjection.forward(store, new NDList(inputs.get(0)), training).singletonOrThrow();
        NDArray t = timeEmbedding.forward(store, new NDList(inputs.get(1)), training).singletonOrThrow();
        if (inputs.size() > 3) {
            NDArray distinct = t;
            t = Embedding.embedding(inputs.get(3), distinct, SparseFormat.DENSE).singletonOrThrow();
            StepArrays.release(distinct);
        }
        NDArray c = conditionProjection.forward(store, new NDList(inputs.get(2)), training).singletonOrThrow();
        NDArray y = t.add(c);
        StepArrays.release(t, c);
        for (AdaLnResBlock block : blocks) {
            NDArray next = block.forward(store, new NDList(x, y), training).singletonOrThrow();
            StepArrays.release(x);
            x = next;
        }
        NDList out = finalLayer.forward(store, new NDList(x, y), training);
        StepArrays.release(x, y);
        return out;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long n = inputShapes[0].get(0);
        Shape rows = new Shape(n, width);
        inputProjection.initialize(manager, dataType, inputShapes[0]);
        timeEmbedding.initialize(manager, dataType, inputShapes[1]);
        conditionProjection.initialize(manager, dataType, inputShapes[2]);
        for (AdaLnResBlock block : blocks) {
            block.initialize(manager, dataType, rows, rows);
        }
        finalLayer.initialize(manager, dataType, rows, rows);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), outputChannels())};
    }
}
