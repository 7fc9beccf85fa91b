package lab.d2c.workers;

import java.util.List;
import lab.d2c.workers.dataset.PrepareDatasetExecutor;
import lab.d2c.workers.eval.EvaluateExecutor;
import lab.d2c.workers.eval.ReferenceStatsExecutor;
import lab.d2c.workers.eval.TrainClassifierExecutor;
import lab.d2c.workers.node.NodeExecutors;
import lab.d2c.workers.pretokenize.PretokenizeExecutor;
import lab.d2c.workers.rdpm.PretokenizeRdpmExecutor;
import lab.d2c.workers.rdpm.SampleRdpmExecutor;
import lab.d2c.workers.rdpm.TrainRdpmExecutor;
import lab.d2c.workers.rdpm.TrainRdpmTokenizerExecutor;
import lab.d2c.workers.stage1.DecodeStage1Executor;
import lab.d2c.workers.stage1.TrainStage1Executor;
import lab.d2c.workers.stage2.PredictStage1Executor;
import lab.d2c.workers.stage2.SampleExecutor;
import lab.d2c.workers.stage2.TrainStage2Executor;
import lab.d2c.workers.tokenizer.TrainVaeExecutor;
import lab.d2c.workers.tokenizer.TrainVqExecutor;

/**
 * The executors this build has, one per node kind. It lives at the worker's composition root, not in
 * {@code node}, so that {@code node} (which every executor package imports) imports no executor package.
 * New node kinds add their executor here.
 */
public final class StandardExecutors {

    private StandardExecutors() {
    }

    /** Every executor this build has. */
    public static NodeExecutors create() {
        return new NodeExecutors(List.of(new PrepareDatasetExecutor(), new TrainVqExecutor(), new TrainVaeExecutor(),
                new PretokenizeExecutor(), new TrainStage1Executor(), new DecodeStage1Executor(),
                new PredictStage1Executor(), new TrainStage2Executor(), new SampleExecutor(),
                new TrainClassifierExecutor(), new ReferenceStatsExecutor(), new EvaluateExecutor(),
                new TrainRdpmTokenizerExecutor(), new PretokenizeRdpmExecutor(), new TrainRdpmExecutor(),
                new SampleRdpmExecutor()));
    }
}
