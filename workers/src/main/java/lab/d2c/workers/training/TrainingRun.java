package lab.d2c.workers.training;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.SortedMap;
import java.util.TreeMap;
import lab.d2c.model.train.BatchSource;
import lab.d2c.model.train.Convergence;
import lab.d2c.model.train.HeldOut;
import lab.d2c.model.train.HeldOutLoss;
import lab.d2c.model.train.StepReport;
import lab.d2c.model.train.TrainConfig;
import lab.d2c.model.train.TrainableModel;
import lab.d2c.model.train.TrainingListener;
import lab.d2c.model.train.TrainingLoop;
import lab.d2c.model.train.TrainingResult;
import lab.d2c.store.db.MetricPoint;
import lab.d2c.workers.checkpoint.CheckpointPointer;
import lab.d2c.workers.checkpoint.CheckpointStore;
import lab.d2c.workers.metrics.NodeMeters;
import lab.d2c.workers.node.NodeContext;

/**
 * A training node's loop: continues from the newest checkpoint that verifies (a retried attempt
 * after a lost worker), checkpoints to S3 every {@code checkpoint_every} steps, heartbeats (step,
 * loss, latest checkpoint key) every step and writes metric rows every {@code log_every} steps under
 * the node's key. Rows are upserted by (run, name, step), so a replayed step never duplicates one.
 *
 * <p>With a held-out set ({@link TrainingSettings.Validation}), those images never enter a batch;
 * every {@code eval_every} steps and at the last step the loss on them ({@link HeldOutLoss}: the live
 * weights, not the EMA, with fixed draws) is written as {@code val/loss}, a deterministic function
 * of the weights, so a resumed run writes the rows an uninterrupted one does; the model's own held-out
 * figures ({@code TrainableModel.heldOutMetrics}, e.g. RDPM's {@code kl_cond_uncond}) go beside it as
 * {@code val/<name>}. At the end,
 * {@link Outcome#training()} holds the budget (steps, batch, items seen, epochs) and the
 * {@link Convergence} verdict, judged on the {@code val/loss} rows of every attempt.
 *
 * <p>With {@code until_converged} the budget is a cap: after each evaluation the verdict is judged as if
 * the run ended there, and the run stops, finished, the first time it holds at that evaluation and at the
 * one before it (one noisy evaluation alone does not stop it). The rule reads the {@code val/loss} rows, a
 * deterministic function of the weights, so a resumed run stops where an uninterrupted one does.
 */
public final class TrainingRun {

    /** What the model does with the trained weights while the loop still holds them. */
    @FunctionalInterface
    public interface Finish<T> {
        T apply(TrainingLoop loop, TrainingResult result) throws IOException;
    }

    /**
     * @param resumedFromStep the step this attempt started at (0 when it started fresh)
     * @param training        the budget and convergence verdict, the node result's {@code training} member
     */
    public record Outcome<T>(TrainingResult result, long resumedFromStep, String latestCheckpoint, T finished,
            ObjectNode training) {
    }

    /** The metric row of the held-out loss. */
    public static final String VAL_LOSS = "val/loss";
    private static final ObjectMapper JSON = new ObjectMapper();

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
        return run(ctx, model, data, config, logEvery, new TrainingSettings.Validation(0, 0), 1, afterInitialize, finish);
    }

    /**
     * As above, holding out {@code validation.holdout()} of the items in whole groups of {@code group}
     * consecutive items (the flips of one image).
     */
    public static <T> Outcome<T> run(NodeContext ctx, TrainableModel model, BatchSource data, TrainConfig config,
            long logEvery, TrainingSettings.Validation validation, int group,
            java.util.function.Consumer<ai.djl.nn.Block> afterInitialize, Finish<T> finish) throws IOException {
        HeldOut split = validation.holdout() > 0
                ? TrainingSettings.build("train.holdout", () -> HeldOut.split(data.size(), group, validation.holdout()))
                : null;
        BatchSource trainData = split == null ? data : HeldOut.subset(data, split.train());
        TrainingLoop[] running = new TrainingLoop[1];
        CheckpointStore checkpoints = new CheckpointStore(ctx.artifacts(), ctx.key());
        Optional<CheckpointStore.Loaded> latest = checkpoints.openLatestValid();
        long resumedFrom = latest.map(l -> l.entry().step()).orElse(0L);
        String[] latestKey = {latest.map(l -> l.entry().key()).orElse(null)};
        // steps done (1-based) to val/loss: the rows of earlier attempts first, so a resumed run judges as the first did
        SortedMap<Long, Double> evaluations = new TreeMap<>();
        if (split != null) {
            for (MetricPoint p : ctx.metrics().series(ctx.key(), VAL_LOSS)) {
                evaluations.put(p.step() + 1, p.value());
            }
        }
        TrainingListener listener = new TrainingListener() {
            @Override
            public void onStep(StepReport r) {
                long done = r.step() + 1;
                NodeMeters.trainStep(ctx.task().kind());
                if (done % logEvery == 0 || done == r.totalSteps()) {
                    List<MetricPoint> rows = new ArrayList<>();
                    rows.add(new MetricPoint(ctx.key(), "train/loss", r.step(), r.loss()));
                    rows.add(new MetricPoint(ctx.key(), "train/lr", r.step(), r.lr()));
                    rows.add(new MetricPoint(ctx.key(), "train/grad_norm", r.step(), r.gradNorm()));
                    r.metrics().forEach((name, value) -> rows.add(new MetricPoint(ctx.key(), "train/" + name, r.step(), value)));
                    ctx.metrics().upsertBatch(rows);
                }
                if (split != null && (done % validation.evalEvery() == 0 || done == r.totalSteps())) {
                    HeldOutLoss.Result held = HeldOutLoss.evaluate(model, data, split.heldOut(), config.batchSize(),
                            running[0].manager());
                    List<MetricPoint> rows = new ArrayList<>();
                    rows.add(new MetricPoint(ctx.key(), VAL_LOSS, r.step(), held.loss()));
                    held.metrics().forEach((name, value) -> rows.add(new MetricPoint(ctx.key(), "val/" + name, r.step(), value)));
                    ctx.metrics().upsertBatch(rows);
                    evaluations.put(done, held.loss());
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
        TrainingLoop.Builder builder = TrainingLoop.builder().setModel(model).setData(trainData).setConfig(config)
                .optListener(listener)
                .optAfterInitialize(afterInitialize)
                .optCheckpointSink((step, writer) -> {
                    CheckpointPointer.Entry e = checkpoints.save(step, writer::writeTo);
                    latestKey[0] = e.key();
                });
        if (validation.untilConverged()) {
            builder.optEarlyStop(done -> convergedTwice(done, evaluations));
        }
        if (latest.isPresent()) {
            ctx.progress((double) resumedFrom / config.steps(), "resuming from the checkpoint of step " + resumedFrom,
                    Map.of("step", resumedFrom, "checkpoint", latestKey[0]));
            builder.optResumeFrom(latest.get().stream());
        }
        try (TrainingLoop loop = builder.build()) {
            running[0] = loop;
            TrainingResult result = loop.run();
            T finished = finish.apply(loop, result);
            return new Outcome<>(result, resumedFrom, latestKey[0], finished,
                    training(ctx, config, result.finalStep(), result.stoppedEarly(), trainData.size(), split,
                            validation));
        }
    }

    /**
     * The early-stop rule: an evaluation after {@code done} steps exists, and the verdict judged as if the run
     * had ended there, and at the evaluation before it, says converged.
     */
    static boolean convergedTwice(long done, SortedMap<Long, Double> evaluations) {
        if (!evaluations.containsKey(done)) {
            return false;
        }
        SortedMap<Long, Double> upTo = evaluations.headMap(done + 1);
        SortedMap<Long, Double> before = evaluations.headMap(done);
        if (before.isEmpty()) {
            return false;
        }
        long previous = before.lastKey();
        return Boolean.TRUE.equals(Convergence.judge(done, upTo).converged())
                && Boolean.TRUE.equals(Convergence.judge(previous, before).converged());
    }

    /**
     * The budget every arm's report row shows (so unequal training is visible) and the convergence verdict,
     * judged at the steps the run did ({@code steps}: the cap's, unless it stopped at convergence).
     */
    static ObjectNode training(NodeContext ctx, TrainConfig config, long stepsDone, boolean stoppedEarly, int trainItems,
            HeldOut split, TrainingSettings.Validation validation) {
        ObjectNode t = JSON.createObjectNode();
        long seen = stepsDone * config.batchSize();
        t.put("steps", stepsDone);
        t.put("until_converged", validation.untilConverged());
        t.put("step_cap", config.steps());
        t.put("stopped_early", stoppedEarly);
        t.put("batch_size", config.batchSize());
        t.put("train_items", trainItems);
        t.put("held_out_items", split == null ? 0 : split.heldOut().length);
        t.put("items_seen", seen);
        t.put("epochs", (double) seen / trainItems);
        t.put("holdout", validation.holdout());
        t.put("eval_every", validation.evalEvery());
        SortedMap<Long, Double> evaluations = new TreeMap<>();
        if (split != null) {
            for (MetricPoint p : ctx.metrics().series(ctx.key(), VAL_LOSS)) {
                if (p.step() < stepsDone) {
                    evaluations.put(p.step() + 1, p.value());
                }
            }
        }
        if (evaluations.isEmpty()) {
            t.putNull("final_val_loss");
        } else {
            t.put("final_val_loss", evaluations.get(evaluations.lastKey()));
        }
        t.setAll((ObjectNode) JSON.valueToTree(Convergence.judge(stepsDone, evaluations).fields()));
        return t;
    }
}
