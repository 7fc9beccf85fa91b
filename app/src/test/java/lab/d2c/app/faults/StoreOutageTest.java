package lab.d2c.app.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import lab.d2c.api.http.Http;
import lab.d2c.app.local.LocalRuntime;
import lab.d2c.app.local.LocalStackFixture;
import lab.d2c.app.local.WorkerProcess;
import lab.d2c.store.artifact.ArtifactStore;
import lab.d2c.api.platform.D2cConfig;
import lab.d2c.store.config.SecretFile;
import lab.d2c.store.db.MetricPoint;
import lab.d2c.store.db.MetricsRepository;
import lab.d2c.store.db.NodeRecord;
import lab.d2c.store.db.NodeRepository;
import lab.d2c.store.embedded.EmbeddedPostgresServer;
import lab.d2c.store.embedded.FreePort;
import lab.d2c.store.testing.FaultProxy;
import lab.d2c.workers.checkpoint.CheckpointPointer;
import lab.d2c.workers.checkpoint.CheckpointStore;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Storage and database faults under a running sweep, one after another on one worker process
 * whose S3 traffic goes through a {@link FaultProxy}:
 * <ol>
 *   <li>S3 unreachable for 30 s while train-vq writes a checkpoint: the write waits and lands,
 *       the node's attempt does not fail, and every checkpoint in {@code latest} verifies;</li>
 *   <li>S3 unreachable for 30 s as pretokenize starts reading shards: it waits, then runs;</li>
 *   <li>PostgreSQL (which this test runs) restarted during train-stage1: metric writes wait
 *       and land, no row is lost;</li>
 *   <li>the newest checkpoint of train-stage1 corrupted, then its worker killed: the new
 *       attempt detects it by checksum and resumes from the one before.</li>
 * </ol>
 */
@Tag("faults")
@Timeout(value = 10, unit = java.util.concurrent.TimeUnit.MINUTES)
class StoreOutageTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration OUTAGE = Duration.ofSeconds(30);

    private static final String SWEEP = """
            name: store-outage
            preset: tiny
            method: grid
            config:
              targets: train-stage1
              data: {dataset: shapes, image_size: 32, num_classes: 4, train_size: 256, test_size: 64, shard_size: 128}
              vq:
                base_width: 8
                train: {steps: 100, batch_size: 8, checkpoint_every: 20, log_every: 5, eval_images: 64, warmup_steps: 5}
              vae:
                base_width: 8
                scale_images: 64
                train: {steps: 20, batch_size: 8, checkpoint_every: 10, log_every: 5, eval_images: 64, warmup_steps: 5}
              pretokenize: {batch_size: 64, shard_size: 128}
              stage1:
                width: 32
                depth: 1
                heads: 2
                ffn_multiple_of: 8
                train: {steps: 600, batch_size: 8, checkpoint_every: 50, log_every: 5, warmup_steps: 5}
            seeds: [0]
            """;

    @Test
    void s3OutagesPostgresRestartAndACorruptCheckpointCostNoFailedRunAndNoLostRow() throws Exception {
        Path pgDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "outage-pg-");
        int pgPort = FreePort.find();
        EmbeddedPostgresServer.Builder pgBuilder = EmbeddedPostgresServer.builder().setDataDirectory(pgDir).optPort(pgPort)
                .setSuperuserPassword(SecretFile.randomValue()).setApplicationPassword(SecretFile.randomValue());
        EmbeddedPostgresServer pg = pgBuilder.start();
        D2cConfig cfg = LocalStackFixture.freshConfig("outage", Map.of("D2C_JDBC_URL", pg.jdbcUrl(),
                "D2C_JDBC_USER", EmbeddedPostgresServer.APP_USER, "D2C_JDBC_PASSWORD", pg.applicationPassword(),
                "D2C_NODE_HEARTBEAT_S", "8"));
        List<String> figures = new ArrayList<>();
        try (LocalRuntime rt = LocalRuntime.start(cfg, false, 1, LocalStackFixture.quiet());
             FaultProxy s3 = FaultProxy.start("127.0.0.1", java.net.URI.create(rt.platform().config().s3Endpoint()).getPort())) {
            D2cConfig live = rt.platform().config();
            Map<String, String> viaProxy = Map.of("D2C_S3_ENDPOINT", "http://127.0.0.1:" + s3.port());
            NodeRepository nodes = new NodeRepository(rt.platform().database().dataSource());
            MetricsRepository metrics = new MetricsRepository(rt.platform().database().dataSource());
            ArtifactStore artifacts = rt.platform().artifacts();
            String token = rt.apiToken().value();
            String sweepId = Http.post(rt.api().baseUrl() + "/api/v1/sweeps", SWEEP, "application/yaml", token)
                    .json().get("id").asText();
            String exp = sweepId + "-a0";
            WorkerProcess worker = WorkerProcess.start(live, "worker-1", viaProxy);
            WorkerProcess second = null;
            try {
                // 1. S3 away while train-vq writes its checkpoint of step 40
                NodeRecord vq = await(nodes, exp, "train-vq", n -> running(n) && checkpointStep(artifacts, n) >= 20, worker);
                long refusedBefore = s3.refused();
                s3.cut();
                Thread.sleep(OUTAGE.toMillis());
                s3.restore();
                assertThat(s3.refused()).as("the worker kept trying during the outage").isGreaterThan(refusedBefore);
                vq = await(nodes, exp, "train-vq", n -> n.status().name().equals("SUCCEEDED"), worker);
                assertThat(vq.attempts()).as("train-vq rode out the outage in its first attempt").isEqualTo(1);
                CheckpointPointer vqPointer = new CheckpointStore(artifacts, vq.key()).pointer().orElseThrow();
                for (CheckpointPointer.Entry e : vqPointer.checkpoints()) {
                    assertThat(artifacts.sha256Of(e.key())).as("checkpoint " + e.key() + " is whole").isEqualTo(e.sha256());
                }
                assertThat(lossSteps(metrics, vq.key())).isEqualTo(steps(100));
                figures.add("S3 unreachable 30 s during a train-vq checkpoint write: attempts 1, 0 steps lost, node took "
                        + vq.durationMs() / 1000 + " s");

                // 2. S3 away as pretokenize starts: cut once both tokenizers are done, before it reads
                await(nodes, exp, "train-vae", n -> n.status().name().equals("SUCCEEDED"), worker);
                s3.cut();
                long cutAt = System.nanoTime();
                Thread.sleep(OUTAGE.toMillis());
                s3.restore();
                NodeRecord pre = await(nodes, exp, "pretokenize", n -> n.status().name().equals("SUCCEEDED"), worker);
                assertThat(pre.attempts()).as("pretokenize waited for its shards in its first attempt").isEqualTo(1);
                assertThat(pre.startedAt()).isNotNull();
                figures.add("S3 unreachable 30 s as pretokenize reads its shards: attempts 1, node took "
                        + pre.durationMs() / 1000 + " s");
                assertThat((System.nanoTime() - cutAt) / 1e9).isGreaterThanOrEqualTo(30);

                // 3. PostgreSQL restarted while train-stage1 trains
                NodeRecord s1 = await(nodes, exp, "train-stage1", n -> running(n) && checkpointStep(artifacts, n) >= 50, worker);
                long restartStart = System.nanoTime();
                pg.close();
                pg = pgBuilder.start();
                double restartSeconds = (System.nanoTime() - restartStart) / 1e9;
                figures.add(String.format("PostgreSQL restarted (%.1f s down) during train-stage1: metric writes waited,"
                        + " no row lost", restartSeconds));

                // 4. the newest checkpoint corrupted, then the worker killed: resume from the one before
                s1 = await(nodes, exp, "train-stage1", n -> running(n) && checkpointStep(artifacts, n) >= 250, worker);
                CheckpointStore store = new CheckpointStore(artifacts, s1.key());
                worker.kill();
                CheckpointPointer p = store.pointer().orElseThrow();
                CheckpointPointer.Entry newest = p.checkpoints().get(0);
                CheckpointPointer.Entry previous = p.checkpoints().get(1);
                artifacts.putBytes(newest.key(), "not a checkpoint any more".getBytes(), null, null);
                second = WorkerProcess.start(live, "worker-2", viaProxy);
                WorkerProcess w2 = second;
                s1 = await(nodes, exp, "train-stage1", n -> n.status().name().equals("SUCCEEDED"), w2);
                JsonNode result = JSON.readTree(s1.resultJson());
                assertThat(s1.attempts()).isEqualTo(2);
                assertThat(result.get("resumed_from_step").asLong()).as("the corrupt newest checkpoint was skipped")
                        .isEqualTo(previous.step());
                assertThat(lossSteps(metrics, s1.key())).as("every logged step once, across the restart and the kill")
                        .isEqualTo(steps(600));
                figures.add("corrupted newest checkpoint (step " + newest.step() + ") + worker kill during train-stage1:"
                        + " resumed from step " + previous.step());

                JsonNode done = Http.awaitSweep(rt.api().baseUrl(), sweepId, Duration.ofMinutes(2));
                assertThat(done.get("status").asText()).isEqualTo("SUCCEEDED");
                figures.forEach(f -> System.out.println("faults: " + f));
            } finally {
                worker.close();
                if (second != null) {
                    second.close();
                }
            }
        } finally {
            pg.close();
        }
    }

    private static boolean running(NodeRecord n) {
        return n.status().name().equals("RUNNING");
    }

    private static long checkpointStep(ArtifactStore artifacts, NodeRecord n) {
        Optional<CheckpointPointer> p = new CheckpointStore(artifacts, n.key()).pointer();
        return p.map(x -> x.checkpoints().get(0).step()).orElse(-1L);
    }

    private static List<Long> lossSteps(MetricsRepository metrics, String key) {
        return metrics.series(key, "train/loss").stream().map(MetricPoint::step).toList();
    }

    private static List<Long> steps(int total) {
        return java.util.stream.LongStream.iterate(4, s -> s < total, s -> s + 5).boxed().toList();
    }

    private static NodeRecord await(NodeRepository nodes, String exp, String kind,
            java.util.function.Predicate<NodeRecord> condition, WorkerProcess worker) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        NodeRecord last = null;
        while (System.nanoTime() < deadline) {
            for (var l : nodes.listByExperiment(exp)) {
                if (l.node().kind().equals(kind)) {
                    last = l.node();
                    if (condition.test(last)) {
                        return last;
                    }
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError(kind + " never matched; last " + last + "\n" + worker.log());
    }
}
