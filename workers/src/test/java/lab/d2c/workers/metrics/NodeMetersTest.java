package lab.d2c.workers.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import lab.d2c.store.artifact.ArtifactStore;
import lab.d2c.store.db.MetricsRepository;
import lab.d2c.store.db.NodeRepository;
import lab.d2c.store.metrics.ProcessMetrics;
import lab.d2c.store.testing.PrometheusText;
import lab.d2c.store.testing.TestStack;
import lab.d2c.workers.node.BadNodeInputException;
import lab.d2c.workers.node.NodeActivitiesImpl;
import lab.d2c.workers.node.NodeContext;
import lab.d2c.workers.node.NodeExecutor;
import lab.d2c.workers.node.NodeExecutors;
import lab.d2c.workers.node.NodeOutput;
import lab.d2c.workers.tokenizer.TokenizerNodes;
import lab.d2c.workers.tokenizer.TrainVqExecutor;
import lab.d2c.workflows.node.NodeActivities;
import lab.d2c.workflows.node.NodeResult;
import lab.d2c.workflows.node.NodeTask;
import org.junit.jupiter.api.Test;

/**
 * The node meters as a Prometheus scrape sees them: a node counts as running while it runs and not after,
 * each attempt lands in the duration timer under its outcome, and a training node counts its steps.
 */
class NodeMetersTest {

    private static final String OK = "metrics-test-ok";
    private static final String BAD = "metrics-test-bad";
    private static final String FLAKY = "metrics-test-flaky";

    private static PrometheusText scrape() {
        return PrometheusText.parse(ProcessMetrics.scrape());
    }

    @Test
    void runningGaugeAndDurationByKindAndOutcome() {
        AtomicReference<Double> runningInside = new AtomicReference<>();
        NodeExecutor ok = new Fake(OK, ctx -> {
            runningInside.set(scrape().value("d2c_nodes_running", "kind", OK));
            return new NodeOutput(Map.of(), JsonNodeFactory.instance.objectNode().put("done", true));
        });
        NodeExecutor bad = new Fake(BAD, ctx -> {
            throw new BadNodeInputException("no such input");
        });
        NodeExecutor flaky = new Fake(FLAKY, ctx -> {
            throw new IllegalStateException("a transient failure");
        });
        ArtifactStore store = TestStack.get().artifactStore("node-meters");
        var ds = TestStack.get().database().dataSource();
        TestActivityEnvironment env = TestActivityEnvironment.newInstance();
        try {
            env.registerActivitiesImplementations(new NodeActivitiesImpl(new NodeExecutors(List.of(ok, bad, flaky)), store,
                    new MetricsRepository(ds), new NodeRepository(ds), "meters-worker"));
            NodeActivities node = env.newActivityStub(NodeActivities.class, ActivityOptions.newBuilder()
                    .setStartToCloseTimeout(Duration.ofMinutes(1))
                    .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build()).build());
            PrometheusText before = scrape();
            assertThat(before.find("d2c_nodes_running", "kind", OK)).as("declared at 0 before any node ran")
                    .hasValueSatisfying(s -> assertThat(s.value()).isZero());

            node.execute(task("k-ok", OK));
            assertThatThrownBy(() -> node.execute(task("k-bad", BAD))).isInstanceOf(ActivityFailure.class);
            assertThatThrownBy(() -> node.execute(task("k-flaky", FLAKY))).isInstanceOf(ActivityFailure.class);

            PrometheusText after = scrape();
            assertThat(runningInside.get()).as("running while the executor ran").isEqualTo(1.0);
            assertThat(after.value("d2c_nodes_running", "kind", OK)).as("not running after").isZero();
            assertThat(after.value("d2c_nodes_running", "kind", FLAKY)).isZero();
            assertThat(delta(before, after, "d2c_node_duration_seconds_count", OK, "succeeded")).isEqualTo(1.0);
            assertThat(delta(before, after, "d2c_node_duration_seconds_count", BAD, "bad_input")).isEqualTo(1.0);
            assertThat(delta(before, after, "d2c_node_duration_seconds_count", FLAKY, "failed")).isEqualTo(1.0);
            assertThat(delta(before, after, "d2c_node_duration_seconds_count", OK, "failed")).isZero();
            assertThat(after.named("d2c_node_duration_seconds_count")).allSatisfy(s ->
                    assertThat(s.labels().keySet()).containsExactlyInAnyOrder("kind", "outcome"));
        } finally {
            env.close();
        }
    }

    @Test
    void aTrainingNodeCountsItsSteps() throws Exception {
        ArtifactStore store = TestStack.get().artifactStore("node-meters-train");
        NodeResult dataset = TokenizerNodes.prepared(store, "prepare-dataset-meters");
        double before = scrape().value("d2c_train_steps_total", "kind", "train-vq");
        TokenizerNodes.run(store, new TrainVqExecutor(), "train-vq-meters", TokenizerNodes.vq(6, 3),
                Map.of("dataset", dataset), (f, m, d) -> { });
        assertThat(scrape().value("d2c_train_steps_total", "kind", "train-vq") - before).isEqualTo(6.0);
    }

    private static double delta(PrometheusText before, PrometheusText after, String name, String kind, String outcome) {
        return after.value(name, "kind", kind, "outcome", outcome) - before.value(name, "kind", kind, "outcome", outcome);
    }

    private static NodeTask task(String key, String kind) {
        return new NodeTask(key, kind, 1, "{}", Map.of());
    }

    @FunctionalInterface
    private interface Body {
        NodeOutput run(NodeContext ctx) throws Exception;
    }

    private record Fake(String kind, Body body) implements NodeExecutor {
        @Override
        public NodeOutput execute(NodeContext context) throws Exception {
            return body.run(context);
        }
    }
}
