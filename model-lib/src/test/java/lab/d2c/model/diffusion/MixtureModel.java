package lab.d2c.model.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.SplittableRandom;
import lab.d2c.model.train.BatchSource;
import lab.d2c.model.train.StepLoss;
import lab.d2c.model.train.StepRandom;
import lab.d2c.model.train.TrainableModel;

/** A diffusion loss on 2-D points with a constant condition, and the two-mode mixture it learns. */
final class MixtureModel implements TrainableModel {

    private final DiffusionLoss loss;

    MixtureModel(NoiseSchedule schedule, int samplingSteps, boolean learnSigma) {
        this.loss = new DiffusionLoss(new DiffusionHead(2, 64, 2, learnSigma), schedule, samplingSteps);
    }

    DiffusionLoss loss() {
        return loss;
    }

    /** Item i: component i % 2, centre (+-1, +-0.5), std 0.25, drawn from a generator seeded by i. */
    static BatchSource data(int size) {
        return new BatchSource() {
            @Override
            public int size() {
                return size;
            }

            @Override
            public NDList batch(NDManager manager, int[] indices) {
                float[] v = new float[indices.length * 2];
                for (int k = 0; k < indices.length; k++) {
                    SplittableRandom r = new SplittableRandom(indices[k] * 31L + 5);
                    double sign = indices[k] % 2 == 0 ? 1 : -1;
                    v[2 * k] = (float) (sign + 0.25 * Gaussians.next(r));
                    v[2 * k + 1] = (float) (0.5 * sign + 0.25 * Gaussians.next(r));
                }
                return new NDList(manager.create(v, new Shape(indices.length, 2)));
            }
        };
    }

    @Override
    public Block block() {
        return loss;
    }

    @Override
    public Shape[] initShapes() {
        return new Shape[] {new Shape(1, 2), new Shape(1, TimestepEmbedder.FREQUENCIES), new Shape(1, 1)};
    }

    @Override
    public StepLoss loss(NDManager step, NDList batch, StepRandom rng) {
        NDArray x = batch.get(0);
        NDArray z = step.ones(new Shape(x.getShape().get(0), 1));
        return new StepLoss(loss.loss(new ParameterStore(step, false), x, z, null, rng), java.util.Map.of());
    }
}
