package lab.d2c.store.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import lab.d2c.store.db.ExperimentQuery.Comparison;
import lab.d2c.store.db.ExperimentQuery.MetricCondition;
import lab.d2c.store.testing.TestStack;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tags and notes round-trip; the find query filters by sweep, status, tag, params and final metric values,
 * sorts by a metric (arms without it last) and pages. Each test tags its arms with a unique tag, so rows of
 * other tests in the shared database never match.
 */
class ExperimentSearchTest {

    private Database db;
    private SweepRepository sweeps;
    private ExperimentRepository experiments;
    private ExperimentSearch search;
    private String tag;

    @BeforeEach
    void setUp() {
        db = TestStack.get().database();
        sweeps = new SweepRepository(db.dataSource());
        experiments = new ExperimentRepository(db.dataSource());
        search = new ExperimentSearch(db.dataSource());
        tag = Ids.unique("t");
    }

    /** A sweep of arms with the given params; each arm tagged {@link #tag}. @return the arms' ids */
    private List<String> sweep(String id, String... params) {
        db.inTransaction(c -> {
            sweeps.insert(c, SweepRecord.pending(id, "grid", "name: grid\n", "{}", params.length, "sweep-" + id));
            for (int i = 0; i < params.length; i++) {
                experiments.insert(c, ExperimentRecord.pending(id + "-a" + i, id, i, "arm" + i, i, params[i], "{}",
                        "wf-" + id + i));
            }
            return null;
        });
        List<String> ids = experiments.idsBySweep(id);
        ids.forEach(e -> experiments.annotate(e, List.of(tag), null));
        return ids;
    }

    /** A succeeded evaluate node of the arm with these evaluations. */
    private void evaluated(String experimentId, Map<String, Double> values) {
        NodeRepository nodes = new NodeRepository(db.dataSource());
        String key = Ids.unique("eval");
        nodes.register(NodeRecord.pending(key, "evaluate", "{}", "{}", 1));
        nodes.linkExperiment(experimentId, key, false);
        nodes.markRunning(key, "w");
        nodes.markSucceeded(key, Map.of(), "{}", 1);
        new EvaluationRepository(db.dataSource()).upsertAll(values.entrySet().stream()
                .map(v -> new Evaluation(key, v.getKey(), v.getValue(), "{}")).toList());
    }

    private ExperimentQuery.Builder mine() {
        return ExperimentQuery.builder().addTag(tag);
    }

    private List<String> ids(ExperimentQuery q) {
        return search.find(q).items().stream().map(m -> m.experiment().id()).toList();
    }

    @Test
    void tagsAndNoteRoundTripAndAPartialUpdateKeepsTheOtherField() {
        String s = Ids.unique("s");
        String a = sweep(s, "{}").get(0);
        assertThat(experiments.find(a).orElseThrow().tags()).containsExactly(tag);
        assertThat(experiments.annotate(a, null, "looks good").orElseThrow().tags()).containsExactly(tag);
        ExperimentRecord e = experiments.annotate(a, List.of("b", "a:1"), null).orElseThrow();
        assertThat(e.tags()).containsExactly("b", "a:1");
        assertThat(e.note()).isEqualTo("looks good");
        assertThat(experiments.annotate("no-such-arm", List.of(), "")).isEmpty();

        assertThat(sweeps.find(s).orElseThrow().tags()).isEmpty();
        SweepRecord swept = sweeps.annotate(s, List.of("paper"), "n").orElseThrow();
        assertThat(swept.tags()).containsExactly("paper");
        assertThat(sweeps.list(List.of(Status.PENDING), List.of("paper"), 500, 0)).extracting(SweepRecord::id).contains(s);
        assertThat(sweeps.list(List.of(Status.RUNNING), List.of("paper"), 500, 0)).extracting(SweepRecord::id)
                .doesNotContain(s);
        assertThat(sweeps.count(List.of(), List.of("paper", "other"))).isZero();
    }

    @Test
    void filtersBySweepStatusTagsAndParams() {
        String s1 = Ids.unique("s");
        String s2 = Ids.unique("s");
        List<String> one = sweep(s1, "{\"stage2.fusion\": \"q-former\", \"lr\": 0.001}",
                "{\"stage2.fusion\": \"none\", \"lr\": 0.01}");
        List<String> two = sweep(s2, "{\"stage2.fusion\": \"q-former\", \"lr\": 1e-3}");
        experiments.updateStatus(one.get(1), Status.SUCCEEDED, null);
        experiments.annotate(two.get(0), List.of(tag, "best"), null);

        assertThat(ids(mine().build())).containsExactlyInAnyOrder(one.get(0), one.get(1), two.get(0));
        assertThat(ids(mine().optSweep(s2).build())).containsExactly(two.get(0));
        assertThat(ids(mine().addStatus(Status.SUCCEEDED).build())).containsExactly(one.get(1));
        assertThat(ids(mine().addStatus(Status.SUCCEEDED).addStatus(Status.PENDING).build())).hasSize(3);
        assertThat(ids(mine().addTag("best").build())).containsExactly(two.get(0));
        assertThat(ids(mine().setParam("stage2.fusion", "q-former").build()))
                .containsExactlyInAnyOrder(one.get(0), two.get(0));
        // numbers compare as numbers: 1e-3 is 0.0010
        assertThat(ids(mine().setParam("lr", "0.0010").build())).containsExactlyInAnyOrder(one.get(0), two.get(0));
        assertThat(ids(mine().setParam("lr", "0.0010").setParam("stage2.fusion", "none").build())).isEmpty();
        assertThat(ids(mine().setParam("no.such.key", "x").build())).isEmpty();
    }

    @Test
    void filtersAndSortsByFinalMetricValuesAndPages() {
        String s = Ids.unique("s");
        List<String> a = sweep(s, "{}", "{}", "{}", "{}");
        evaluated(a.get(0), Map.of("fid-x", 80.0));
        evaluated(a.get(1), Map.of("fid-x", 120.0));
        evaluated(a.get(2), Map.of("fid-x", 99.5));
        // a training series: the final value is the latest step's
        MetricsRepository metrics = new MetricsRepository(db.dataSource());
        String run = Ids.unique("train");
        NodeRepository nodes = new NodeRepository(db.dataSource());
        nodes.register(NodeRecord.pending(run, "train-vq", "{}", "{}", 1));
        nodes.linkExperiment(a.get(3), run, false);
        metrics.upsert(run, "train/loss", 10, 0.5);
        metrics.upsert(run, "train/loss", 20, 0.25);
        metrics.upsert(run, "train/loss", 5, 0.9);

        MetricCondition under100 = new MetricCondition("fid-x", Comparison.LT, 100);
        assertThat(ids(mine().addMetric(under100).optSort("fid-x", false).build())).containsExactly(a.get(0), a.get(2));
        assertThat(ids(mine().addMetric(new MetricCondition("fid-x", Comparison.GE, 99.5)).optSort("fid-x", true)
                .build())).containsExactly(a.get(1), a.get(2));
        assertThat(ids(mine().addMetric(new MetricCondition("fid-x", Comparison.EQ, 80)).build())).containsExactly(a.get(0));
        assertThat(ids(mine().addMetric(new MetricCondition("train/loss", Comparison.LE, 0.25)).build()))
                .containsExactly(a.get(3));
        assertThat(ids(mine().addMetric(new MetricCondition("train/loss", Comparison.GT, 0.3)).build())).isEmpty();

        // the arm without the metric comes last both ways
        assertThat(ids(mine().optSort("fid-x", false).build())).containsExactly(a.get(0), a.get(2), a.get(1), a.get(3));
        assertThat(ids(mine().optSort("fid-x", true).build())).containsExactly(a.get(1), a.get(2), a.get(0), a.get(3));

        ExperimentSearch.Page page = search.find(mine().optSort("fid-x", false).setPage(2, 1).build());
        assertThat(page.total()).isEqualTo(4);
        assertThat(page.items()).extracting(m -> m.experiment().id()).containsExactly(a.get(2), a.get(1));
        assertThat(page.items().get(0).metrics()).containsEntry("fid-x", 99.5);
        assertThat(search.find(mine().addMetric(under100).setPage(1, 0).build()).total()).isEqualTo(2);
    }
}
