package lab.d2c.store.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import lab.d2c.store.embedded.EmbeddedPostgresServer;
import lab.d2c.store.testing.FaultProxy;
import lab.d2c.store.testing.TestStack;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL out of reach for a while (every connection reset, new ones refused, as in a
 * restart): metric upserts and reads wait and then land; no row is lost or doubled.
 */
class DatabaseRetryTest {

    @Test
    void metricWritesDuringAnOutageLandOnceItIsBack() throws Exception {
        TestStack stack = TestStack.get();
        try (FaultProxy proxy = FaultProxy.start("127.0.0.1", stack.postgres().port());
             Database db = Database.open("jdbc:postgresql://127.0.0.1:" + proxy.port() + "/d2c?connectTimeout=2&socketTimeout=5",
                     EmbeddedPostgresServer.APP_USER, stack.postgres().applicationPassword())) {
            MetricsRepository metrics = new MetricsRepository(db.dataSource());
            String run = "retry-run-" + System.nanoTime();
            metrics.upsert(run, "train/loss", 0, 1.0);

            proxy.cut();
            CompletableFuture<Void> writes = CompletableFuture.runAsync(() -> {
                for (int step = 1; step <= 20; step++) {
                    metrics.upsertBatch(List.of(new MetricPoint(run, "train/loss", step, 1.0 / (step + 1)),
                            new MetricPoint(run, "train/lr", step, 1e-3)));
                }
            });
            Thread.sleep(4000);
            assertThat(writes).as("waiting while PostgreSQL is away").isNotDone();
            proxy.restore();
            writes.get(60, TimeUnit.SECONDS);

            List<Long> steps = new ArrayList<>();
            metrics.series(run, "train/loss").forEach(p -> steps.add(p.step()));
            assertThat(steps).containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(0, 20).boxed().toList());
            assertThat(metrics.series(run, "train/lr")).hasSize(20);
            assertThat(proxy.refused()).as("it kept trying").isPositive();
        }
    }
}
