package lab.d2c.store.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import lab.d2c.store.testing.TestStack;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MetricsRepositoryTest {

    private MetricsRepository metrics;
    private String run;

    @BeforeEach
    void setUp() {
        metrics = new MetricsRepository(TestStack.get().database().dataSource());
        run = Ids.unique("run");
    }

    @Test
    void replayedStepKeepsOneRowWithTheLatestValue() {
        metrics.upsert(run, "loss", 10, 2.5);
        metrics.upsert(run, "loss", 10, 1.5);

        assertThat(metrics.series(run, "loss")).containsExactly(new MetricPoint(run, "loss", 10, 1.5));
    }

    @Test
    void batchesGroupByNameAndOrderBySteps() {
        metrics.upsertBatch(List.of(
                new MetricPoint(run, "loss", 2, 0.8),
                new MetricPoint(run, "loss", 1, 0.9),
                new MetricPoint(run, "lr", 1, 1e-3),
                new MetricPoint(run, "loss", 2, 0.7)));

        assertThat(metrics.names(run)).containsExactly("loss", "lr");
        assertThat(metrics.series(run, "loss")).extracting(MetricPoint::step, MetricPoint::value)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, 0.9), org.assertj.core.groups.Tuple.tuple(2L, 0.7));
        assertThat(metrics.series(run)).containsOnlyKeys("loss", "lr");
        assertThat(metrics.series(run).get("lr")).hasSize(1);
        assertThat(metrics.series(Ids.unique("none"))).isEmpty();
        metrics.upsertBatch(List.of());
    }

    @Test
    void badPointsAreNamed() {
        assertThatThrownBy(() -> new MetricPoint(run, "loss", -1, 0)).hasMessageContaining("step must be >= 0");
        assertThatThrownBy(() -> new MetricPoint(run, "", 1, 0)).hasMessageContaining("must not be empty");
    }
}
