package lab.d2c.workers.training;

import java.io.IOException;
import java.io.PrintStream;
import lab.d2c.model.train.BatchSource;
import lab.d2c.model.train.StepReport;
import lab.d2c.model.train.TrainConfig;
import lab.d2c.model.train.TrainableModel;
import lab.d2c.model.train.TrainingListener;
import lab.d2c.model.train.TrainingLoop;

/** Benchmarks' train-step time: the shared loop's wall time per step after untimed warmup steps. */
public final class TrainStepTimer {

    private TrainStepTimer() {
    }

    /**
     * Runs {@code config.steps()} steps and returns the mean milliseconds of those after the first
     * {@code warmup}; prints one line naming the model.
     */
    public static double millisPerStep(String name, TrainableModel model, BatchSource data, TrainConfig config,
            int warmup, PrintStream out) throws IOException {
        long[] start = {0};
        try (TrainingLoop loop = TrainingLoop.builder().setModel(model).setData(data).setConfig(config)
                .optListener(new TrainingListener() {
                    @Override
                    public void onStep(StepReport r) {
                        if (r.step() + 1 == warmup) {
                            start[0] = System.nanoTime();
                        }
                    }
                }).build()) {
            if (warmup == 0) {
                start[0] = System.nanoTime();
            }
            loop.run();
        }
        double ms = (System.nanoTime() - start[0]) / 1e6 / (config.steps() - warmup);
        out.printf("train-%s: %.1f ms/step (batch %d, %.1f items/s)%n", name, ms, config.batchSize(),
                config.batchSize() * 1000 / ms);
        return ms;
    }
}
