package lab.d2c.store.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import lab.d2c.store.testing.TestStack;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NodeRepositoryTest {

    private NodeRepository nodes;
    private String key;

    @BeforeEach
    void setUp() {
        nodes = new NodeRepository(TestStack.get().database().dataSource());
        key = Ids.unique("node");
    }

    private NodeRecord pending(String k) {
        return NodeRecord.pending(k, "train-vq", "{\"lr\": 0.001}", "{\"dataset\": \"ds-1\"}", 3);
    }

    @Test
    void registerIsIdempotentAndReturnsTheCurrentRow() {
        NodeRecord first = nodes.register(pending(key));
        assertThat(first.status()).isEqualTo(Status.PENDING);
        assertThat(first.attempts()).isZero();
        assertThat(first.codeVersion()).isEqualTo(3);
        assertThat(first.artifactKeys()).isEmpty();
        assertThat(first.createdAt()).isNotNull();

        nodes.markRunning(key, "w1");
        nodes.markSucceeded(key, Map.of("model", "nodes/" + key + "/model.bin"), "{\"loss\": 0.5}", 1234);
        NodeRecord again = nodes.register(NodeRecord.pending(key, "other-kind", "{}", "{}", 9));

        assertThat(again.status()).isEqualTo(Status.SUCCEEDED);
        assertThat(again.kind()).isEqualTo("train-vq");
        assertThat(again.artifactKeys()).containsEntry("model", "nodes/" + key + "/model.bin");
        assertThat(again.resultJson()).contains("\"loss\"");
        assertThat(again.durationMs()).isEqualTo(1234L);
        assertThat(again.progress()).isEqualTo(1.0);
        assertThat(again.finishedAt()).isNotNull();
    }

    @Test
    void markRunningCountsAttemptsAndKeepsTheFirstStart() {
        nodes.register(pending(key));
        nodes.markRunning(key, "w1");
        NodeRecord one = nodes.find(key).orElseThrow();
        nodes.updateProgress(key, 0.25, "step 250/1000");
        nodes.markRunning(key, "w2");
        NodeRecord two = nodes.find(key).orElseThrow();

        assertThat(one.attempts()).isEqualTo(1);
        assertThat(one.status()).isEqualTo(Status.RUNNING);
        assertThat(two.attempts()).isEqualTo(2);
        assertThat(two.worker()).isEqualTo("w2");
        assertThat(two.startedAt()).isEqualTo(one.startedAt());
        assertThat(two.progress()).isEqualTo(0.25);
        assertThat(two.progressMessage()).isEqualTo("step 250/1000");
    }

    @Test
    void progressOutsideZeroToOneIsRefused() {
        assertThatThrownBy(() -> nodes.updateProgress(key, 1.5, "x")).hasMessageContaining("progress: must be within 0..1");
        assertThatThrownBy(() -> nodes.updateProgress(key, Double.NaN, "x")).hasMessageContaining("got NaN");
    }

    @Test
    void failThenResetForARerun() {
        nodes.register(pending(key));
        nodes.markRunning(key, "w1");
        assertThat(nodes.markFailed(key, "CUDA out of memory")).isTrue();
        NodeRecord failed = nodes.find(key).orElseThrow();
        assertThat(failed.status()).isEqualTo(Status.FAILED);
        assertThat(failed.error()).isEqualTo("CUDA out of memory");

        assertThat(nodes.resetToPending(key)).isTrue();
        NodeRecord reset = nodes.find(key).orElseThrow();
        assertThat(reset.status()).isEqualTo(Status.PENDING);
        assertThat(reset.error()).isNull();
        assertThat(reset.attempts()).isEqualTo(1);
        assertThat(nodes.resetToPending(key)).isFalse();
    }

    @Test
    void aSucceededNodeIsNeitherFailedNorCancelledLater() {
        nodes.register(pending(key));
        nodes.markSucceeded(key, Map.of(), null, 1);
        assertThat(nodes.markFailed(key, "late failure")).isFalse();
        assertThat(nodes.markCancelled(key)).isFalse();
        assertThat(nodes.find(key).orElseThrow().status()).isEqualTo(Status.SUCCEEDED);

        String other = Ids.unique("node");
        nodes.register(pending(other));
        assertThat(nodes.markCancelled(other)).isTrue();
        assertThat(nodes.find(other).orElseThrow().status()).isEqualTo(Status.CANCELLED);
    }

    @Test
    void cacheHitOnceTrueStaysTrue() {
        TestStack stack = TestStack.get();
        String sweep = Ids.unique("sweep");
        stack.database().inTransaction(c -> {
            new SweepRepository(stack.database().dataSource()).insert(c, SweepRecord.pending(sweep, "n", "t", "{}", 1, "wf"));
            new ExperimentRepository(stack.database().dataSource()).insert(c,
                    ExperimentRecord.pending(sweep + "-a0", sweep, 0, "a0", 1, "{}", "{}", "wf0"));
            return null;
        });
        String exp = sweep + "-a0";
        String second = Ids.unique("node");
        nodes.register(pending(key));
        nodes.register(pending(second));

        nodes.linkExperiment(exp, key, false);
        nodes.linkExperiment(exp, second, true);
        nodes.linkExperiment(exp, second, false);
        nodes.linkExperiment(exp, key, true);

        assertThat(nodes.listByExperiment(exp)).hasSize(2).allSatisfy(l -> {
            assertThat(l.cacheHit()).isTrue();
            assertThat(l.requestedAt()).isNotNull();
        });
        assertThat(nodes.listByExperiment(exp)).extracting(l -> l.node().key()).containsExactlyInAnyOrder(key, second);
    }
    @Test
    void listBySweepReadsEveryArmsNodesInOneStatement() throws Exception {
        TestStack stack = TestStack.get();
        String sweep = Ids.unique("sweep");
        int armCount = 5;
        stack.database().inTransaction(c -> {
            new SweepRepository(stack.database().dataSource()).insert(c, SweepRecord.pending(sweep, "n", "t", "{}", armCount, "wf"));
            for (int i = armCount - 1; i >= 0; i--) {
                new ExperimentRepository(stack.database().dataSource()).insert(c,
                        ExperimentRecord.pending(sweep + "-a" + i, sweep, i, "a" + i, i, "{}", "{}", "wf" + i));
            }
            return null;
        });
        // arms 0..3 share a dataset node; each has its own trainer; arm 4 asked for nothing yet
        String shared = Ids.unique("ds");
        nodes.register(pending(shared));
        nodes.markSucceeded(shared, Map.of("data", "nodes/" + shared + "/data.bin"), "{\"n\": 3}", 5);
        for (int i = 0; i < armCount - 1; i++) {
            String own = Ids.unique("train");
            nodes.register(pending(own));
            nodes.linkExperiment(sweep + "-a" + i, shared, i > 0);
            nodes.linkExperiment(sweep + "-a" + i, own, false);
        }
        String otherSweep = Ids.unique("sweep");
        stack.database().inTransaction(c -> {
            new SweepRepository(stack.database().dataSource()).insert(c, SweepRecord.pending(otherSweep, "n", "t", "{}", 1, "wf"));
            new ExperimentRepository(stack.database().dataSource()).insert(c,
                    ExperimentRecord.pending(otherSweep + "-a0", otherSweep, 0, "a0", 0, "{}", "{}", "wf0"));
            return null;
        });
        nodes.linkExperiment(otherSweep + "-a0", shared, true);

        AtomicInteger statements = new AtomicInteger();
        NodeRepository counted = new NodeRepository(countingStatements(stack.database().dataSource(), statements));
        Map<String, List<LinkedNode>> bySweep = counted.listBySweep(sweep);

        assertThat(statements.get()).as("statements for %d arms", armCount).isEqualTo(1);
        assertThat(bySweep.keySet()).as("arms by index; the arm without nodes and the other sweep absent")
                .containsExactly(sweep + "-a0", sweep + "-a1", sweep + "-a2", sweep + "-a3");
        for (int i = 0; i < armCount - 1; i++) {
            String exp = sweep + "-a" + i;
            // the same rows, in the same order, as the per-experiment query
            assertThat(bySweep.get(exp)).as(exp).isEqualTo(nodes.listByExperiment(exp));
        }
        assertThat(bySweep.get(sweep + "-a1").get(0).cacheHit()).isTrue();
        assertThat(bySweep.get(sweep + "-a0").get(0).node().artifactKeys()).containsKey("data");
        assertThat(counted.listBySweep(Ids.unique("none"))).isEmpty();
    }

    /** The real pool, counting the statements prepared or created on its connections. */
    static DataSource countingStatements(DataSource real, AtomicInteger count) {
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    Object result = invoke(real, method, args);
                    if (!method.getName().equals("getConnection")) {
                        return result;
                    }
                    Connection c = (Connection) result;
                    return Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                            (p, m, a) -> {
                                if (m.getName().startsWith("prepare") || m.getName().equals("createStatement")) {
                                    count.incrementAndGet();
                                }
                                return invoke(c, m, a);
                            });
                });
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
