package lab.d2c.model.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.LayerNorm;
import lab.d2c.model.nn.StepArrays;

/** Adaptive layer norm helpers shared by the head's blocks (DiT's {@code modulate}). */
final class AdaLn {

    static final float EPS = 1e-6f;

    private AdaLn() {
    }

    /** x * (1 + scale) + shift. */
    static NDArray modulate(NDArray x, NDArray shift, NDArray scale) {
        NDArray one = StepArrays.scalar(scale, 1);
        NDArray factor = scale.add(one);
        NDArray scaled = x.mul(factor);
        NDArray out = scaled.add(shift);
        StepArrays.release(one, factor, scaled);
        return out;
    }

    /** LayerNorm over the last axis of [N, width] with eps 1e-6, with or without gain and bias. */
    static LayerNorm layerNorm(boolean affine) {
        return LayerNorm.builder().axis(1).optEpsilon(EPS).optCenter(affine).optScale(affine).build();
    }

    static Shape rows(Shape in, int width) {
        return new Shape(in.get(0), width);
    }
}
