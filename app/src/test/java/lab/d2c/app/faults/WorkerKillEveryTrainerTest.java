package lab.d2c.app.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import lab.d2c.api.http.Http;
import lab.d2c.app.local.LocalRuntime;
import lab.d2c.app.local.LocalStackFixture;
import lab.d2c.app.local.WorkerProcess;
import lab.d2c.api.platform.D2cConfig;
import lab.d2c.store.db.LinkedNode;
import lab.d2c.store.db.MetricPoint;
import lab.d2c.store.db.MetricsRepository;
import lab.d2c.store.db.NodeRecord;
import lab.d2c.store.db.NodeRepository;
import lab.d2c.workers.checkpoint.CheckpointPointer;
import lab.d2c.workers.checkpoint.CheckpointStore;
import lab.d2c.workers.training.ModelWeights;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The resume promise for every trainer: a worker process is killed (SIGKILL) during each of
 * train-vq, train-vae, train-classifier, train-stage1 and train-stage2 (the D2C arm) and
 * train-rdpm-tokenizer and train-rdpm (the RDPM arm, arXiv:2412.18390), at a random point after
 * a random checkpoint; a fresh worker takes over. The sweep completes with the same final
 * weights (sha256), the same metric rows (every name, step and value) and the same scores as an
 * uninterrupted run of the same sweep, and no metric step is missing or doubled.
 */
@Tag("faults")
@Timeout(value = 12, unit = java.util.concurrent.TimeUnit.MINUTES)
class WorkerKillEveryTrainerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> TRAINERS = List.of("train-vq", "train-vae", "train-classifier", "train-stage1",
            "train-stage2", "train-rdpm-tokenizer", "train-rdpm");
    /** Arm 0 is D2C's graph up to evaluate, arm 1 RDPM's; they share prepare-dataset, the classifier and its statistics. */
    private static final int ARMS = 2;
    private static final int STEPS = 100;
    private static final int CHECKPOINT_EVERY = 20;

    static final String SWEEP = """
            name: kill-every-trainer
            preset: tiny
            method: grid
            config:
              targets: evaluate
              data: {dataset: shapes, image_size: 32, num_classes: 4, train_size: 256, test_size: 64, shard_size: 256}
              vq:
                base_width: 8
                train: {steps: %1$d, batch_size: 8, checkpoint_every: %2$d, log_every: 5, eval_images: 64, warmup_steps: 5}
              vae:
                base_width: 8
                scale_images: 64
                train: {steps: %1$d, batch_size: 8, checkpoint_every: %2$d, log_every: 5, eval_images: 64, warmup_steps: 5}
              pretokenize: {batch_size: 64, shard_size: 256}
              stage1:
                width: 32
                depth: 1
                heads: 2
                ffn_multiple_of: 8
                train: {steps: %1$d, batch_size: 8, checkpoint_every: %2$d, log_every: 5, warmup_steps: 5}
                sample: {count: 8, batch_size: 8}
              stage2:
                encoder_width: 16
                encoder_depth: 1
                encoder_heads: 2
                decoder_width: 16
                decoder_depth: 1
                decoder_heads: 2
                buffer_size: 4
                queries: 2
                head_width: 16
                head_depth: 1
                diffusion_batch_mul: 2
                sampling_steps: 5
                train: {steps: %1$d, batch_size: 8, checkpoint_every: %2$d, log_every: 5, warmup_steps: 5}
                sample: {count: 8, batch_size: 8, steps: 4}
              classifier:
                base_width: 8
                feature_dim: 16
                train: {steps: %1$d, batch_size: 8, checkpoint_every: %2$d, log_every: 5, eval_images: 64, warmup_steps: 5}
              eval: {batch_size: 64}
              rdpm:
                tokenizer:
                  base_width: 8
                  z_channels: 16
                  code_dim: 4
                  codebook_size: 64
                  steps: 4
                  train: {steps: %1$d, batch_size: 8, checkpoint_every: %2$d, log_every: 5, eval_images: 64, warmup_steps: 5}
                predictor:
                  width: 32
                  depth: 1
                  heads: 2
                  ffn_multiple_of: 8
                  train: {steps: %1$d, batch_size: 8, checkpoint_every: %2$d, log_every: 5, warmup_steps: 5}
                sample: {count: 8, batch_size: 8}
            arms:
              - name: d2c
              - name: rdpm
                generator: rdpm
            seeds: [0]
            """.formatted(STEPS, CHECKPOINT_EVERY);

    /** What one run leaves per training node: its result and every metric row. */
    private record Trained(String key, String weightsSha, Map<String, List<MetricPoint>> metrics, int attempts,
            long resumedFrom) {
    }

    /** One kill: when, after which checkpoint, and what it cost. */
    record Kill(String kind, long checkpointStep, long loggedStep, long resumedFrom, double recoverySeconds) {
    }

    @Test
    void everyTrainerResumesToTheSameWeightsAndMetricsAsAnUninterruptedRun() throws Exception {
        Map<String, Trained> reference;
        Map<String, JsonNode> referenceScores;
        try (LocalRuntime rt = LocalRuntime.start(LocalStackFixture.freshConfig("kill-ref"), true, 1, LocalStackFixture.quiet())) {
            String sweepId = launch(rt);
            JsonNode done = Http.awaitSweep(rt.api().baseUrl(), sweepId, Duration.ofMinutes(4));
            assertThat(done.get("status").asText()).isEqualTo("SUCCEEDED");
            reference = trained(rt, sweepId);
            referenceScores = scores(rt, sweepId);
        }

        Random random = new Random(8);
        List<Kill> kills = new ArrayList<>();
        D2cConfig cfg = LocalStackFixture.freshConfig("kill-all", Map.of("D2C_NODE_HEARTBEAT_S", "8"));
        try (LocalRuntime rt = LocalRuntime.start(cfg, false, 1, LocalStackFixture.quiet())) {
            D2cConfig live = rt.platform().config();
            NodeRepository nodes = new NodeRepository(rt.platform().database().dataSource());
            MetricsRepository metrics = new MetricsRepository(rt.platform().database().dataSource());
            String sweepId = launch(rt);
            List<WorkerProcess> workers = new ArrayList<>();
            try {
                WorkerProcess current = WorkerProcess.start(live, "worker-0", Map.of());
                workers.add(current);
                Map<String, Long> threshold = new LinkedHashMap<>();
                Map<String, Long> extra = new LinkedHashMap<>();
                for (String kind : TRAINERS) {
                    // after checkpoint 20 or 40, then 0-15 steps further: work past the checkpoint is lost
                    threshold.put(kind, (long) CHECKPOINT_EVERY * (1 + random.nextInt(2)));
                    extra.put(kind, 5L * random.nextInt(4));
                }
                // kills waiting for their node's next attempt: node key -> (kind, checkpoint, logged step, kill time)
                Map<String, Object[]> awaitingRetry = new LinkedHashMap<>();
                long deadline = System.nanoTime() + Duration.ofMinutes(8).toNanos();
                while ((!threshold.isEmpty() || !awaitingRetry.isEmpty()) && System.nanoTime() < deadline) {
                    for (LinkedNode linked : armNodes(nodes, sweepId)) {
                        NodeRecord n = linked.node();
                        Object[] pending = awaitingRetry.get(n.key());
                        if (pending != null && n.attempts() >= 2 && current.name().equals(n.worker())) {
                            awaitingRetry.remove(n.key());
                            kills.add(new Kill((String) pending[0], (Long) pending[1], (Long) pending[2], -1,
                                    (System.nanoTime() - (Long) pending[3]) / 1e9));
                        }
                        Long at = threshold.get(n.kind());
                        if (at == null) {
                            continue;
                        }
                        if (n.status().name().equals("SUCCEEDED")) {
                            throw new AssertionError(n.kind() + " finished before its kill (threshold " + at + ")\n"
                                    + current.log());
                        }
                        if (!n.status().name().equals("RUNNING")) {
                            continue;
                        }
                        Optional<CheckpointPointer> p = new CheckpointStore(rt.platform().artifacts(), n.key()).pointer();
                        long loggedSoFar = metrics.series(n.key(), "train/loss").stream().mapToLong(MetricPoint::step)
                                .max().orElse(-1) + 1;
                        if (p.isPresent() && p.get().checkpoints().get(0).step() >= at
                                && loggedSoFar >= at + extra.get(n.kind())) {
                            current.kill();
                            long killedAt = System.nanoTime();
                            long logged = metrics.series(n.key(), "train/loss").stream().mapToLong(MetricPoint::step)
                                    .max().orElse(-1);
                            threshold.remove(n.kind());
                            awaitingRetry.put(n.key(), new Object[] {n.kind(), p.get().checkpoints().get(0).step(),
                                    logged + 1, killedAt});
                            current = WorkerProcess.start(live, "worker-" + workers.size(), Map.of());
                            workers.add(current);
                            break;
                        }
                    }
                    Thread.sleep(50);
                }
                assertThat(awaitingRetry).as("every killed node was retried on a new worker").isEmpty();
                assertThat(threshold).as("every trainer was killed once").isEmpty();
                JsonNode done = Http.awaitSweep(rt.api().baseUrl(), sweepId, Duration.ofMinutes(4));
                assertThat(done.get("status").asText()).as(current.log()).isEqualTo("SUCCEEDED");

                Map<String, Trained> resumed = trained(rt, sweepId);
                for (String kind : TRAINERS) {
                    Trained r = resumed.get(kind);
                    Trained ref = reference.get(kind);
                    assertThat(r.key()).isEqualTo(ref.key());
                    assertThat(r.attempts()).as(kind + ": the killed attempt and the resumed one").isEqualTo(2);
                    Kill kill = kills.stream().filter(k -> k.kind().equals(kind)).findFirst().orElseThrow();
                    assertThat(r.resumedFrom()).as(kind + " resumed from a checkpoint, not step 0")
                            .isGreaterThanOrEqualTo(kill.checkpointStep()).isLessThan(STEPS);
                    assertThat(r.weightsSha()).as(kind + " final weights").isEqualTo(ref.weightsSha());
                    assertThat(r.metrics()).as(kind + " metric rows").isEqualTo(ref.metrics());
                    long loss = r.metrics().get("train/loss").size();
                    assertThat(loss).as(kind + ": one train/loss row per logged step").isEqualTo(STEPS / 5);
                }
                assertThat(scores(rt, sweepId)).as("scores").isEqualTo(referenceScores);
                for (Kill k : kills) {
                    long resumedFrom = resumed.get(k.kind()).resumedFrom();
                    System.out.printf("faults: worker kill during %s: killed after step %d (checkpoint %d), resumed from"
                            + " %d, lost %d steps (checkpoint_every %d), retried on a new worker after %.1f s%n",
                            k.kind(), k.loggedStep(), k.checkpointStep(), resumedFrom,
                            Math.max(0, k.loggedStep() - resumedFrom), CHECKPOINT_EVERY, k.recoverySeconds());
                }
            } finally {
                for (WorkerProcess w : workers) {
                    w.close();
                }
            }
        }
    }

    private static String launch(LocalRuntime rt) throws Exception {
        Http.Response r = Http.post(rt.api().baseUrl() + "/api/v1/sweeps", SWEEP, "application/yaml", rt.apiToken().value());
        assertThat(r.status()).as(new String(r.bytes())).isEqualTo(201);
        return r.json().get("id").asText();
    }

    /** The nodes of every arm's experiment (a shared node once per arm). */
    private static List<LinkedNode> armNodes(NodeRepository nodes, String sweepId) {
        List<LinkedNode> out = new ArrayList<>();
        for (int arm = 0; arm < ARMS; arm++) {
            out.addAll(nodes.listByExperiment(sweepId + "-a" + arm));
        }
        return out;
    }

    private static Map<String, Trained> trained(LocalRuntime rt, String sweepId) throws Exception {
        NodeRepository nodes = new NodeRepository(rt.platform().database().dataSource());
        MetricsRepository metrics = new MetricsRepository(rt.platform().database().dataSource());
        Map<String, Trained> out = new LinkedHashMap<>();
        for (LinkedNode l : armNodes(nodes, sweepId)) {
            NodeRecord n = l.node();
            if (TRAINERS.contains(n.kind())) {
                JsonNode result = JSON.readTree(n.resultJson());
                out.put(n.kind(), new Trained(n.key(), result.get(ModelWeights.SHA_FIELD).asText(), metrics.series(n.key()),
                        n.attempts(), result.path("resumed_from_step").asLong(0)));
            }
        }
        assertThat(out.keySet()).containsExactlyInAnyOrderElementsOf(TRAINERS);
        return out;
    }

    /** Each arm's report values, by arm name. */
    private static Map<String, JsonNode> scores(LocalRuntime rt, String sweepId) throws Exception {
        Map<String, JsonNode> out = new java.util.TreeMap<>();
        for (JsonNode row : Http.get(rt.api().baseUrl() + "/api/v1/sweeps/" + sweepId + "/report").json().at("/rows")) {
            out.put(row.get("arm").asText(), row.get("values"));
            assertThat(row.get("values").size()).as("scores of arm " + row.get("arm")).isPositive();
        }
        assertThat(out).as("one report row per arm").hasSize(ARMS);
        return out;
    }
}
