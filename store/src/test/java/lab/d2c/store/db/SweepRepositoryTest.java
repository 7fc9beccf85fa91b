package lab.d2c.store.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import lab.d2c.store.StoreException;
import lab.d2c.store.testing.TestStack;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SweepRepositoryTest {

    private Database db;
    private SweepRepository sweeps;
    private ExperimentRepository experiments;

    @BeforeEach
    void setUp() {
        TestStack stack = TestStack.get();
        stack.truncateAll();
        db = stack.database();
        sweeps = new SweepRepository(db.dataSource());
        experiments = new ExperimentRepository(db.dataSource());
    }

    private static List<ExperimentRecord> arms(String sweepId, int n) {
        return java.util.stream.IntStream.range(0, n).mapToObj(i -> ExperimentRecord.pending(sweepId + "-a" + i, sweepId,
                i, "arm" + i, 100 + i, "{\"lr\": " + i + "}", "{\"model\": {\"lr\": " + i + "}}", "exp-wf-" + i)).toList();
    }

    private void insertSweep(String id, int armCount) {
        db.inTransaction(c -> {
            sweeps.insert(c, SweepRecord.pending(id, "grid", "name: grid\n", "{\"name\": \"grid\"}", armCount, "sweep-" + id));
            for (ExperimentRecord e : arms(id, armCount)) {
                experiments.insert(c, e);
            }
            return null;
        });
    }

    @Test
    void sweepAndExperimentsCommitTogether() {
        insertSweep("s1", 3);

        SweepRecord s = sweeps.find("s1").orElseThrow();
        assertThat(s.status()).isEqualTo(Status.PENDING);
        assertThat(s.armCount()).isEqualTo(3);
        assertThat(s.specText()).isEqualTo("name: grid\n");
        assertThat(s.specJson()).contains("\"grid\"");
        assertThat(s.createdAt()).isNotNull();
        assertThat(experiments.listBySweep("s1")).extracting(ExperimentRecord::armIndex).containsExactly(0, 1, 2);
        assertThat(experiments.find("s1-a1").orElseThrow()).satisfies(e -> {
            assertThat(e.seed()).isEqualTo(101);
            assertThat(e.configJson()).contains("model");
            assertThat(e.workflowId()).isEqualTo("exp-wf-1");
        });
    }

    @Test
    void aFailingExperimentInsertLeavesNothing() {
        assertThatThrownBy(() -> db.inTransaction(c -> {
            sweeps.insert(c, SweepRecord.pending("s2", "grid", "t", "{}", 2, "wf"));
            experiments.insert(c, arms("s2", 1).get(0));
            experiments.insert(c, arms("s2", 1).get(0)); // duplicate id
            return null;
        })).isInstanceOf(StoreException.class).hasMessageContaining("experiments: insert 's2-a0' failed");

        assertThat(sweeps.find("s2")).isEmpty();
        assertThat(experiments.listBySweep("s2")).isEmpty();
    }

    @Test
    void invalidJsonIsRefusedNamingTheField() {
        assertThatThrownBy(() -> sweeps.insert(SweepRecord.pending("s3", "n", "t", "{not json", 0, "wf")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("sweep 's3' spec: not valid JSON");
    }

    @Test
    void listsNewestFirstCountsAndFindsUnfinished() throws InterruptedException {
        insertSweep("old", 0);
        Thread.sleep(5);
        insertSweep("mid", 0);
        Thread.sleep(5);
        insertSweep("new", 0);
        sweeps.updateStatus("mid", Status.SUCCEEDED, null);

        assertThat(sweeps.list(10, 0)).extracting(SweepRecord::id).containsExactly("new", "mid", "old");
        assertThat(sweeps.list(1, 1)).extracting(SweepRecord::id).containsExactly("mid");
        assertThat(sweeps.count()).isEqualTo(3);
        assertThat(sweeps.listUnfinished()).extracting(SweepRecord::id).containsExactly("old", "new");
    }

    @Test
    void statusUpdatesSetAndClearFinishedAt() {
        insertSweep("s4", 0);
        assertThat(sweeps.updateStatus("s4", Status.FAILED, "arm 0 failed")).isTrue();
        SweepRecord failed = sweeps.find("s4").orElseThrow();
        assertThat(failed.error()).isEqualTo("arm 0 failed");
        assertThat(failed.finishedAt()).isNotNull();

        sweeps.updateStatus("s4", Status.RUNNING, null);
        SweepRecord resumed = sweeps.find("s4").orElseThrow();
        assertThat(resumed.finishedAt()).isNull();
        assertThat(resumed.error()).isNull();
        assertThat(sweeps.updateStatus("nope", Status.RUNNING, null)).isFalse();
    }

    @Test
    void deleteCascadesToExperiments() {
        insertSweep("s5", 2);
        assertThat(sweeps.delete("s5")).isTrue();
        assertThat(experiments.find("s5-a0")).isEmpty();
    }

    @Test
    void experimentStatusTimestamps() {
        insertSweep("s6", 1);
        experiments.updateStatus("s6-a0", Status.RUNNING, null);
        var started = experiments.find("s6-a0").orElseThrow().startedAt();
        assertThat(started).isNotNull();
        experiments.updateStatus("s6-a0", Status.FAILED, "oom");
        experiments.updateStatus("s6-a0", Status.RUNNING, null);
        experiments.updateStatus("s6-a0", Status.SUCCEEDED, null);
        ExperimentRecord e = experiments.find("s6-a0").orElseThrow();
        assertThat(e.startedAt()).isEqualTo(started);
        assertThat(e.finishedAt()).isNotNull();
        assertThat(e.error()).isNull();
        assertThat(experiments.listByStatus(Status.SUCCEEDED)).extracting(ExperimentRecord::id).containsExactly("s6-a0");
    }
    @Test
    void plannedNodeCountIsStoredAndNullWhenUnknown() {
        db.inTransaction(c -> {
            sweeps.insert(c, SweepRecord.pending("s7", "grid", "t", "{}", 2, "wf"));
            experiments.insert(c, arms("s7", 2).get(0).withNodesTotal(13));
            experiments.insert(c, arms("s7", 2).get(1));
            return null;
        });
        assertThat(experiments.find("s7-a0").orElseThrow().nodesTotal()).isEqualTo(13);
        assertThat(experiments.find("s7-a1").orElseThrow().nodesTotal()).as("a row without the count").isNull();
        assertThat(experiments.listBySweep("s7")).extracting(ExperimentRecord::nodesTotal).containsExactly(13, null);
        assertThat(experiments.idsBySweep("s7")).containsExactly("s7-a0", "s7-a1");
        assertThatThrownBy(() -> arms("s8", 1).get(0).withNodesTotal(-1)).hasMessageStartingWith("nodesTotal:");
    }

    @Test
    void plannedNodeKeysAreStoredInPlanOrderWithTheirCountAndNullWhenUnknown() {
        db.inTransaction(c -> {
            sweeps.insert(c, SweepRecord.pending("s9", "grid", "t", "{}", 2, "wf"));
            experiments.insert(c, arms("s9", 2).get(0).withPlannedNodes(List.of("k-data", "k-tok", "k-data2")));
            experiments.insert(c, arms("s9", 2).get(1));
            return null;
        });
        ExperimentRecord planned = experiments.find("s9-a0").orElseThrow();
        assertThat(planned.plannedNodeKeys()).containsExactly("k-data", "k-tok", "k-data2");
        assertThat(planned.nodesTotal()).isEqualTo(3);
        assertThat(experiments.find("s9-a1").orElseThrow().plannedNodeKeys()).as("a row without the keys").isNull();
        assertThat(experiments.listByStatus(Status.PENDING)).filteredOn(e -> e.id().equals("s9-a0"))
                .extracting(ExperimentRecord::plannedNodeKeys).containsExactly(List.of("k-data", "k-tok", "k-data2"));
    }
}
