package lab.d2c.workers.training;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import lab.d2c.model.train.BatchSource;
import lab.d2c.model.train.StepReport;
import lab.d2c.model.train.TrainConfig;
import lab.d2c.model.train.TrainableModel;
import lab.d2c.model.train.TrainingListener;
import lab.d2c.model.train.TrainingLoop;
import lab.d2c.model.train.TrainingResult;
import lab.d2c.store.db.MetricPoint;
import lab.d2c.workers.checkpoint.CheckpointPointer;
import lab.d2c.workers.checkpoint.CheckpointStore;
import lab.d2c.workers.node.NodeContext;

/**
 * A training node's loop: continues from the newest checkpoint that verifies (a retried attempt
 * after a lost worker), checkpoints to S3 every {@code checkpoint_every} steps, heartbeats (step,
 * loss, latest checkpoint key) every step and writes metric rows every {@code log_every} steps under
 * the node's key. Rows are upserted by (run, name, step), so a replayed step never duplicates one.
 */
public final class TrainingRun {

    /** What the model does with the trained weights while the loop still holds them. */
    @FunctionalInterface
    public interface Finish<T> {
        T apply(TrainingLoop loop, TrainingResult result) throws IOException;
    }

    /** @param resumedFromStep the step this attempt started at (0 when it started fresh) */
    public record Outcome<T>(TrainingResult result, long resumedFromStep, String latestCheckpoint, T finished) {
    }

    private TrainingRun() {
    }

    public static <T> Outcome<T> run(NodeContext ctx, TrainableModel model, BatchSource data, TrainConfig config,
            long logEvery, Finish<T> finish) throws IOException {
        return run(ctx, model, data, config, logEvery, block -> { }, finish);
    }

    /** As above, with a hook that runs once the parameters exist (TrainingLoop.optAfterInitialize). */
    public static <T> Outcome<T> run(NodeContext ctx, TrainableModel model, BatchSource data, TrainConfig config,
            long logEvery, java.util.function.Consumer<ai.djl.nn.Block> afterInitialize, Finish<T> finish)
            throws IOException {
        CheckpointStore checkpoints = new CheckpointStore(ctx.artifacts(), ctx.key());
        Optional<CheckpointStore.Loaded> latest = checkpoints.openLatestValid();
        long resumedFrom = latest.map(l -> l.entry().step()).orElse(0L);
        String[] latestKey = {latest.map(l -> l.entry().key()).orElse(null)};
        TrainingListener listener = new TrainingListener() {
            @Override
            public void onStep(StepReport r) {
                long done = r.step() + 1;
                if (done % logEvery == 0 || done == r.totalSteps()) {
                    List<MetricPoint> rows = new ArrayList<>();
                    rows.add(new MetricPoint(ctx.key(), "train/loss", r.step(), r.loss()));
                    rows.add(new MetricPoint(ctx.key(), "train/lr", r.step(), r.lr()));
                    rows.add(new MetricPoint(ctx.key(), "train/grad_norm", r.step(), r.gradNorm()));
                    r.metrics().forEach((name, value) -> rows.add(new MetricPoint(ctx.key(), "train/" + name, r.step(), value)));
                    ctx.metrics().upsertBatch(rows);
                }
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("step", done);
                details.put("steps", r.totalSteps());
                details.put("loss", r.loss());
                details.put("checkpoint", latestKey[0]);
                ctx.progress((double) done / r.totalSteps(), String.format("step %d/%d loss %.4g, %.2f steps/s, eta %.0f s",
                        done, r.totalSteps(), r.loss(), r.stepsPerSecond(), r.etaSeconds()), details);
            }
        };
        TrainingLoop.Builder builder = TrainingLoop.builder().setModel(model).setData(data).setConfig(config)
                .optListener(listener)
                .optAfterInitialize(afterInitialize)
                .optCheckpointSink((step, writer) -> {
                    CheckpointPointer.Entry e = checkpoints.save(step, writer::writeTo);
                    latestKey[0] = e.key();
                });
        if (latest.isPresent()) {
            ctx.progress((double) resumedFrom / config.steps(), "resuming from the checkpoint of step " + resumedFrom,
                    Map.of("step", resumedFrom, "checkpoint", latestKey[0]));
            builder.optResumeFrom(latest.get().stream());
        }
        try (TrainingLoop loop = builder.build()) {
            TrainingResult result = loop.run();
            T finished = finish.apply(loop, result);
            return new Outcome<>(result, resumedFrom, latestKey[0], finished);
        }
    }
}
