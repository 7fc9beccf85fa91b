package lab.d2c.model.tokenizer;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import lab.d2c.model.data.ImageSet;
import lab.d2c.model.train.StepLoss;
import lab.d2c.model.train.StepRandom;
import lab.d2c.model.train.TrainableModel;

/**
 * A minimal Adam loop for tests (the shared TrainingLoop is someone else's): per step a sub-manager,
 * a gradient collector around {@code model.loss}, Adam under no-grad, gradients zeroed by hand
 * (DJL's collector does not zero them), then {@code afterStep}.
 */
final class TinyAdam {

    private final TrainableModel model;
    private final NDManager manager;
    private final List<Parameter> params = new ArrayList<>();
    private final List<NDArray> m1 = new ArrayList<>();
    private final List<NDArray> m2 = new ArrayList<>();
    private final double lr;
    private long t;

    TinyAdam(TrainableModel model, NDManager manager, double lr) {
        this.model = model;
        this.manager = manager;
        this.lr = lr;
        for (Parameter p : model.block().getParameters().values()) {
            params.add(p);
            m1.add(manager.zeros(p.getArray().getShape()));
            m2.add(manager.zeros(p.getArray().getShape()));
        }
    }

    /** One step; returns the loss value. */
    double step(NDList batch, StepRandom rng) {
        try (NDManager step = manager.newSubManager()) {
            double loss;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                StepLoss l = model.loss(step, batch, rng);
                loss = l.loss().getFloat();
                collector.backward(l.loss());
            }
            t++;
            double c1 = 1 - Math.pow(0.9, t);
            double c2 = 1 - Math.pow(0.999, t);
            NDArray b1 = step.full(new Shape(), 0.9f);
            NDArray b2 = step.full(new Shape(), 0.999f);
            NDArray ob1 = step.full(new Shape(), 0.1f);
            NDArray ob2 = step.full(new Shape(), 0.001f);
            NDArray rate = step.full(new Shape(), (float) (lr * Math.sqrt(c2) / c1));
            NDArray eps = step.full(new Shape(), 1e-8f);
            for (int i = 0; i < params.size(); i++) {
                NDArray w = params.get(i).getArray();
                NDArray g = w.getGradient();
                g.attach(step);
                m1.get(i).muli(b1).addi(g.mul(ob1));
                m2.get(i).muli(b2).addi(g.mul(g).mul(ob2));
                w.subi(m1.get(i).mul(rate).div(m2.get(i).sqrt().add(eps)));
                g.subi(g);
            }
            model.afterStep(step, rng.step(), rng);
            return loss;
        }
    }

    /** Images of a set as float32 NCHW in [-1, 1]. */
    static NDArray images(NDManager manager, ImageSet set) {
        return new lab.d2c.model.data.ImageBatches(set).images(manager, 0, set.count());
    }

    static long parameterCount(ai.djl.nn.Block block) {
        long n = 0;
        for (Parameter p : block.getParameters().values()) {
            n += p.getArray().size();
        }
        return n;
    }
}
