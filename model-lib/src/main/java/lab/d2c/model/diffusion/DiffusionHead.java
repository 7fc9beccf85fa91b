package lab.d2c.model.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
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

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputProjection.forward(store, new NDList(inputs.get(0)), training).singletonOrThrow();
        NDArray t = timeEmbedding.forward(store, new NDList(inputs.get(1)), training).singletonOrThrow();
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
