package lab.d2c.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;

/**
 * Root-mean-square normalization over the last axis (Zhang and Sennrich, 2019), as Llama and
 * LlamaGen use it: x / sqrt(mean(x^2) + eps) * weight, no centring and no bias; weight starts at one.
 */
public final class RmsNorm extends AbstractBlock {

    private final int dim;
    private final double eps;
    private final Parameter weight;

    public RmsNorm(int dim, double eps) {
        if (dim < 1 || !(eps > 0)) {
            throw new IllegalArgumentException("RmsNorm: dim must be >= 1 and eps > 0, got " + dim + ", " + eps);
        }
        this.dim = dim;
        this.eps = eps;
        this.weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.GAMMA)
                .optShape(new Shape(dim)).optInitializer(new ConstantInitializer(1f)).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        int last = x.getShape().dimension() - 1;
        NDArray meanSquare = x.mul(x).mean(new int[] {last}, true);
        NDArray normalized = x.div(meanSquare.add(StepArrays.scalar(x, eps)).sqrt());
        NDArray w = store.getValue(weight, x.getDevice(), training);
        return new NDList(normalized.mul(w));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        if (in.get(in.dimension() - 1) != dim) {
            throw new IllegalArgumentException("RmsNorm expects last axis " + dim + ", got " + in);
        }
        return new Shape[] {in};
    }
}
