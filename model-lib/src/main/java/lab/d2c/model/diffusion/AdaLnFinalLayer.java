package lab.d2c.model.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import lab.d2c.model.nn.Dense;
import lab.d2c.model.nn.StepArrays;
import lab.d2c.model.nn.Silu;

/**
 * The head's last layer (DiT's {@code FinalLayer}): Linear(modulate(LN(x), shift, scale)) with a
 * LayerNorm without gain or bias; modulation and output are zero-initialized, so the untrained head
 * predicts zero noise.
 */
public final class AdaLnFinalLayer extends AbstractBlock {

    private final int width;
    private final LayerNorm norm;
    private final Linear modulation;
    private final Linear output;

    public AdaLnFinalLayer(int width, int outChannels) {
        this.width = width;
        this.norm = addChildBlock("norm_final", AdaLn.layerNorm(false));
        this.modulation = addChildBlock("adaLN_modulation", Dense.zero(2 * width));
        this.output = addChildBlock("linear", Dense.zero(outChannels));
    }

    /** Inputs: x [N, width], y [N, width]; output [N, outChannels]. */
    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray activeY = Silu.apply(inputs.get(1));
        NDArray modulations = modulation.forward(store, new NDList(activeY), training).singletonOrThrow();
        NDList mod = modulations.split(2, 1);
        NDArray normed = norm.forward(store, new NDList(inputs.get(0)), training).singletonOrThrow();
        NDArray modulated = AdaLn.modulate(normed, mod.get(0), mod.get(1));
        NDList out = output.forward(store, new NDList(modulated), training);
        StepArrays.release(activeY, modulations, normed, modulated);
        StepArrays.release(mod);
        return out;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape rows = AdaLn.rows(inputShapes[0], width);
        norm.initialize(manager, dataType, rows);
        modulation.initialize(manager, dataType, rows);
        output.initialize(manager, dataType, rows);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return output.getOutputShapes(new Shape[] {AdaLn.rows(inputShapes[0], width)});
    }
}
