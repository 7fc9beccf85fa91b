package lab.d2c.workers.node;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import lab.d2c.workers.dataset.PrepareDatasetExecutor;
import lab.d2c.workers.pretokenize.PretokenizeExecutor;
import lab.d2c.workers.stage1.DecodeStage1Executor;
import lab.d2c.workers.stage1.TrainStage1Executor;
import lab.d2c.workers.stage2.SampleExecutor;
import lab.d2c.workers.stage2.TrainStage2Executor;
import lab.d2c.workers.tokenizer.TrainVaeExecutor;
import lab.d2c.workers.tokenizer.TrainVqExecutor;

/** The executors a worker offers, by node kind. New node kinds add their executor here. */
public final class NodeExecutors {

    private final Map<String, NodeExecutor> byKind = new LinkedHashMap<>();

    public NodeExecutors(List<NodeExecutor> executors) {
        for (NodeExecutor e : executors) {
            if (byKind.put(e.kind(), e) != null) {
                throw new IllegalStateException("two executors for node kind " + e.kind());
            }
        }
    }

    /** Every executor this build has. */
    public static NodeExecutors standard() {
        return new NodeExecutors(List.of(new PrepareDatasetExecutor(), new TrainVqExecutor(), new TrainVaeExecutor(),
                new PretokenizeExecutor(), new TrainStage1Executor(), new DecodeStage1Executor(),
                new lab.d2c.workers.stage2.PredictStage1Executor(), new TrainStage2Executor(), new SampleExecutor(),
                new lab.d2c.workers.eval.TrainClassifierExecutor(),
                new lab.d2c.workers.eval.ReferenceStatsExecutor(), new lab.d2c.workers.eval.EvaluateExecutor()));
    }

    public NodeExecutor require(String kind) {
        NodeExecutor e = byKind.get(kind);
        if (e == null) {
            throw new BadNodeInputException("this worker has no executor for node kind '" + kind + "'; it has " + byKind.keySet());
        }
        return e;
    }

    public Set<String> kinds() {
        return byKind.keySet();
    }
}
