package lab.d2c.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Group normalization (Wu and He, 2018) over NCHW inputs: channels split into groups, each group of
 * each sample normalized to zero mean and unit variance (biased variance, like torch.nn.GroupNorm),
 * then a per-channel affine map. DJL 0.35.1 has no GroupNorm. LDM's and LlamaGen's {@code Normalize}
 * use 32 groups and eps 1e-6; {@link #groupsFor} keeps 32 where the width allows it.
 */
public final class GroupNorm extends AbstractBlock {

    public static final double EPS = 1e-6;
    private static final int LDM_GROUPS = 32;

    private final int groups;
    private final int channels;
    private final Parameter gamma;
    private final Parameter beta;

    public GroupNorm(int groups, int channels) {
        if (groups < 1 || channels % groups != 0) {
            throw new IllegalArgumentException("groups: " + groups + " must divide channels " + channels);
        }
        this.groups = groups;
        this.channels = channels;
        this.gamma = addParameter(Parameter.builder().setName("gamma").setType(Parameter.Type.GAMMA)
                .optShape(new Shape(channels)).build());
        this.beta = addParameter(Parameter.builder().setName("beta").setType(Parameter.Type.BETA)
                .optShape(new Shape(channels)).build());
    }

    /** LDM's normalization for a width: 32 groups, or the largest divisor of the width below 32. */
    public static GroupNorm forChannels(int channels) {
        return new GroupNorm(groupsFor(channels), channels);
    }

    /** The largest divisor of {@code channels} that is at most 32. */
    public static int groupsFor(int channels) {
        for (int g = Math.min(LDM_GROUPS, channels); g > 1; g--) {
            if (channels % g == 0) {
                return g;
            }
        }
        return 1;
    }

    public int groups() {
        return groups;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        Shape shape = x.getShape();
        long n = shape.get(0);
        NDArray grouped = x.reshape(n, groups, -1);
        NDArray mean = grouped.mean(new int[] {2}, true);
        NDArray centered = grouped.sub(mean);
        NDArray variance = centered.mul(centered).mean(new int[] {2}, true);
        NDArray normalized = centered.div(variance.add(StepArrays.scalar(x, EPS)).sqrt()).reshape(shape);
        NDArray g = StepArrays.adopt(x, store.getValue(gamma, x.getDevice(), training).reshape(1, channels, 1, 1));
        NDArray b = StepArrays.adopt(x, store.getValue(beta, x.getDevice(), training).reshape(1, channels, 1, 1));
        return new NDList(normalized.mul(g).add(b));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
