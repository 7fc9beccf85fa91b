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
 * One residual block of the diffusion head (MAR's {@code ResBlock}): x + gate * MLP(modulate(LN(x),
 * shift, scale)), with (shift, scale, gate) = Linear(SiLU(y)) zero-initialized, so the block starts
 * as the identity (AdaLN-Zero, DiT section 3.2).
 */
public final class AdaLnResBlock extends AbstractBlock {

    private final int width;
    private final LayerNorm norm;
    private final Linear mlpIn;
    private final Linear mlpOut;
    private final Linear modulation;

    public AdaLnResBlock(int width) {
        this.width = width;
        this.norm = addChildBlock("in_ln", AdaLn.layerNorm(true));
        this.mlpIn = addChildBlock("mlp_0", Dense.xavier(width));
        this.mlpOut = addChildBlock("mlp_2", Dense.xavier(width));
        this.modulation = addChildBlock("adaLN_modulation", Dense.zero(3 * width));
    }

    /** Inputs: x [N, width], y [N, width] (time + condition); output [N, width]. */
    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray y = inputs.get(1);
        NDArray activeY = Silu.apply(y);
        NDArray modulations = modulation.forward(store, new NDList(activeY), training).singletonOrThrow();
        NDList mod = modulations.split(3, 1);
        NDArray normed = norm.forward(store, new NDList(x), training).singletonOrThrow();
        NDArray modulated = AdaLn.modulate(normed, mod.get(0), mod.get(1));
        NDArray hidden = mlpIn.forward(store, new NDList(modulated), training).singletonOrThrow();
        NDArray active = Silu.apply(hidden);
        NDArray h = mlpOut.forward(store, new NDList(active), training).singletonOrThrow();
        NDArray gated = mod.get(2).mul(h);
        NDArray out = x.add(gated);
        // every intermediate of this block is read once; hold none past its use (StepArrays.release)
        StepArrays.release(activeY, modulations, normed, modulated, hidden, active, h, gated);
        StepArrays.release(mod);
        return new NDList(out);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape rows = AdaLn.rows(inputShapes[0], width);
        norm.initialize(manager, dataType, rows);
        mlpIn.initialize(manager, dataType, rows);
        mlpOut.initialize(manager, dataType, rows);
        modulation.initialize(manager, dataType, rows);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
