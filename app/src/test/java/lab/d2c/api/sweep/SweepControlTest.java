package lab.d2c.api.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.function.Predicate;
import lab.d2c.api.http.Http;
import lab.d2c.app.local.LocalRuntime;
import lab.d2c.app.local.LocalStackFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Steering a running sweep over HTTP on the embedded stack: cancel one arm (its own
 * training stops at its next heartbeat; the nodes shared with the other arm are untouched),
 * resume it, cancel the whole sweep, rerun its failed cells; wrong states get 409.
 */
@org.junit.jupiter.api.Tag("faults")
@Timeout(value = 6, unit = java.util.concurrent.TimeUnit.MINUTES)
class SweepControlTest {

    /** Two arms that share the dataset and the tokenizer but each train their own (long) stage one. */
    private static final String SWEEP = """
            name: steer
            preset: tiny
            method: grid
            config:
              targets: train-stage1
              data: {dataset: shapes, image_size: 32, num_classes: 4, train_size: 128, test_size: 32, shard_size: 128}
              vq:
                base_width: 8
                train: {steps: 4, batch_size: 8, checkpoint_every: 4, log_every: 2, eval_images: 32}
              vae:
                base_width: 8
                scale_images: 32
                train: {steps: 4, batch_size: 8, checkpoint_every: 4, log_every: 2, eval_images: 32}
              pretokenize: {batch_size: 64, shard_size: 128}
              stage1:
                width: 16
                depth: 1
                heads: 2
                ffn_multiple_of: 8
                train: {steps: 100000, batch_size: 4, checkpoint_every: 50, log_every: 10, warmup_steps: 2}
            arms:
              - name: slow-lr
                stage1.train.lr: 0.0001
              - name: fast-lr
                stage1.train.lr: 0.001
            seeds: [0]
            """;

    @Test
    void cancelResumeCancelSweepAndRerunFailed() throws Exception {
        try (LocalRuntime rt = LocalRuntime.start(LocalStackFixture.freshConfig("steer"), true, 2, LocalStackFixture.quiet())) {
            String base = rt.api().baseUrl();
            String token = rt.apiToken().value();
            String sweepId = Http.post(base + "/api/v1/sweeps", SWEEP, "application/yaml", token).json().get("id").asText();
            String a0 = sweepId + "-a0";
            String a1 = sweepId + "-a1";
            String stage1Of0 = awaitNode(base, a0, "train-stage1", n -> "RUNNING".equals(n.get("status").asText()));
            String stage1Of1 = awaitNode(base, a1, "train-stage1", n -> "RUNNING".equals(n.get("status").asText()));
            assertThat(stage1Of0).isNotEqualTo(stage1Of1);

            // Cancel one arm once its stage one has a checkpoint: only its own stage one stops; the shared
            // tokenizer and the other arm go on.
            long checkpoint = awaitCheckpoint(base, stage1Of1, 100);
            long cancelledAt = System.nanoTime();
            Http.Response cancel = Http.post(base + "/api/v1/experiments/" + a1 + "/cancel", "", "text/plain", token);
            assertThat(cancel.status()).isEqualTo(202);
            assertThat(cancel.json().get("nodes_cancelled").toString()).isEqualTo("[\"" + stage1Of1 + "\"]");
            awaitExperiment(base, a1, "CANCELLED");
            awaitNode(base, a1, "train-stage1", n -> "CANCELLED".equals(n.get("status").asText()));
            double stopSeconds = (System.nanoTime() - cancelledAt) / 1e9;
            assertThat(stopSeconds).as("stopped within one heartbeat interval").isLessThan(60);
            long checkpointAfterCancel = awaitCheckpoint(base, stage1Of1, 0);
            assertThat(Http.get(base + "/api/v1/experiments/" + a0).json().get("status").asText()).isEqualTo("RUNNING");
            assertThat(Http.get(base + "/api/v1/nodes/" + stage1Of0).json().get("status").asText()).isEqualTo("RUNNING");
            assertThat(Http.post(base + "/api/v1/experiments/" + a1 + "/cancel", "", "text/plain", token).status())
                    .as("a cancelled arm cannot be cancelled again").isEqualTo(409);
            assertThat(Http.post(base + "/api/v1/experiments/" + a0 + "/resume", "", "text/plain", token).status())
                    .as("a running arm cannot be resumed").isEqualTo(409);
            assertThat(Http.post(base + "/api/v1/sweeps/" + sweepId + "/rerun-failed", "x", "text/plain", null).status())
                    .isEqualTo(401);

            // Resume it: the arm runs again and its stage one starts a new attempt.
            java.sql.Timestamp resumedAt = dbNow(rt);
            assertThat(Http.post(base + "/api/v1/experiments/" + a1 + "/resume", "", "text/plain", token).status())
                    .isEqualTo(202);
            awaitExperiment(base, a1, "RUNNING");
            awaitNode(base, a1, "train-stage1", n -> "RUNNING".equals(n.get("status").asText())
                    && n.get("attempts").asInt() >= 2);
            // It continues from its last checkpoint: the resumed attempt logs steps after it and rewrites
            // none before it (metric rows carry the time PostgreSQL wrote them).
            javax.sql.DataSource ds = rt.platform().database().dataSource();
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            while (rowsSince(ds, stage1Of1, resumedAt, checkpointAfterCancel, true) == 0 && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(rowsSince(ds, stage1Of1, resumedAt, checkpointAfterCancel, true)).as("new steps").isPositive();
            assertThat(rowsSince(ds, stage1Of1, resumedAt, checkpointAfterCancel, false))
                    .as("steps before the checkpoint were not trained again").isZero();
            assertThat(checkpointAfterCancel).isGreaterThanOrEqualTo(checkpoint);
            System.out.printf("faults: cancel of a training arm: its node stopped %.1f s after the request; resume"
                    + " continued from the checkpoint of step %d%n", stopSeconds, checkpointAfterCancel);

            // Cancel the sweep: both arms and both stage-one nodes.
            Http.Response all = Http.post(base + "/api/v1/sweeps/" + sweepId + "/cancel", "", "text/plain", token);
            assertThat(all.status()).isEqualTo(202);
            assertThat(all.json().get("experiments")).hasSize(2);
            JsonNode sweep = awaitSweep(base, sweepId, "CANCELLED");
            for (JsonNode arm : sweep.get("experiments")) {
                assertThat(arm.get("status").asText()).isEqualTo("CANCELLED");
            }
            for (String arm : new String[] {a0, a1}) {
                awaitNode(base, arm, "train-stage1", n -> "CANCELLED".equals(n.get("status").asText()));
            }
            assertThat(Http.post(base + "/api/v1/sweeps/" + sweepId + "/cancel", "", "text/plain", token).status())
                    .isEqualTo(409);

            // Rerun the failed cells: both arms start again in the sweep's workflow.
            Http.Response rerun = Http.post(base + "/api/v1/sweeps/" + sweepId + "/rerun-failed", "", "text/plain", token);
            assertThat(rerun.status()).isEqualTo(202);
            assertThat(rerun.json().get("experiments").toString()).isEqualTo("[\"" + a0 + "\",\"" + a1 + "\"]");
            awaitSweep(base, sweepId, "RUNNING");
            awaitExperiment(base, a0, "RUNNING");
            awaitExperiment(base, a1, "RUNNING");
            assertThat(Http.post(base + "/api/v1/sweeps/" + sweepId + "/rerun-failed", "", "text/plain", token).status())
                    .as("nothing failed any more").isEqualTo(409);
            assertThat(Http.post(base + "/api/v1/experiments/nope-1/resume", "", "text/plain", token).status())
                    .isEqualTo(404);
            assertThat(Http.post(base + "/api/v1/sweeps/" + sweepId + "/cancel", "", "text/plain", token).status())
                    .isEqualTo(202);
        }
    }

    private static String awaitNode(String base, String experimentId, String kind, Predicate<JsonNode> condition)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            for (JsonNode n : Http.get(base + "/api/v1/experiments/" + experimentId).json().get("nodes")) {
                if (n.get("kind").asText().equals(kind)) {
                    last = n;
                    if (condition.test(n)) {
                        return n.get("key").asText();
                    }
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError(kind + " of " + experimentId + " never matched; last seen: " + last);
    }

    private static java.sql.Timestamp dbNow(LocalRuntime rt) throws Exception {
        try (var c = rt.platform().database().dataSource().getConnection(); var q = c.prepareStatement("SELECT now()");
             var r = q.executeQuery()) {
            r.next();
            return r.getTimestamp(1);
        }
    }

    /** Metric rows of a run written after {@code since}, at steps from {@code step} on (or before it). */
    private static long rowsSince(javax.sql.DataSource ds, String run, java.sql.Timestamp since, long step, boolean after)
            throws Exception {
        try (var c = ds.getConnection(); var q = c.prepareStatement("SELECT count(*) FROM metrics WHERE run_id = ?"
                + " AND recorded_at > ? AND step " + (after ? ">=" : "<") + " ?")) {
            q.setString(1, run);
            q.setTimestamp(2, since);
            q.setLong(3, step);
            try (var r = q.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    /** The newest checkpoint step of a node once it is at least {@code atLeast}. */
    private static long awaitCheckpoint(String base, String nodeKey, long atLeast) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            Http.Response p = Http.get(base + "/api/v1/artifacts/nodes/" + nodeKey + "/checkpoints/latest.json");
            if (p.status() == 200 && p.json().at("/checkpoints/0/step").asLong() >= atLeast) {
                return p.json().at("/checkpoints/0/step").asLong();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no checkpoint >= " + atLeast + " of " + nodeKey);
    }

    private static void awaitExperiment(String base, String id, String status) throws Exception {
        await(base + "/api/v1/experiments/" + id, status);
    }

    private static JsonNode awaitSweep(String base, String id, String status) throws Exception {
        return await(base + "/api/v1/sweeps/" + id, status);
    }

    private static JsonNode await(String url, String status) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = Http.get(url).json();
            if (status.equals(last.get("status").asText())) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(url + " never reached " + status + "; last: " + last);
    }
}
