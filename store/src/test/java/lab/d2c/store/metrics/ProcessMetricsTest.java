package lab.d2c.store.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import lab.d2c.store.artifact.ArtifactStore;
import lab.d2c.store.db.SweepRepository;
import lab.d2c.store.testing.PrometheusText;
import lab.d2c.store.testing.TestStack;
import org.junit.jupiter.api.Test;

/** S3 calls and repository statements show up as labelled timers in the process's Prometheus scrape. */
class ProcessMetricsTest {

    @Test
    void s3AndSqlCallsAreTimedByOperationAndRepository() {
        ArtifactStore store = TestStack.get().artifactStore("metrics");
        SweepRepository sweeps = new SweepRepository(TestStack.get().database().dataSource());
        PrometheusText before = PrometheusText.parse(ProcessMetrics.scrape());

        store.putBytes("metrics/a.bin", "abc".getBytes(StandardCharsets.UTF_8), null, null);
        store.putBytes("metrics/a.bin", "abcd".getBytes(StandardCharsets.UTF_8), null, null);
        assertThat(store.getBytes("metrics/a.bin")).hasSize(4);
        store.copy("metrics/a.bin", "metrics/secret-name-b.bin");
        sweeps.list(10, 0);

        String text = ProcessMetrics.scrape();
        PrometheusText after = PrometheusText.parse(text);
        assertThat(after.value("d2c_s3_request_seconds_count", "operation", "put")
                - before.value("d2c_s3_request_seconds_count", "operation", "put")).isEqualTo(2.0);
        assertThat(after.value("d2c_s3_request_seconds_count", "operation", "read")
                - before.value("d2c_s3_request_seconds_count", "operation", "read")).isGreaterThanOrEqualTo(1.0);
        assertThat(after.value("d2c_s3_request_seconds_sum", "operation", "put"))
                .isGreaterThan(before.value("d2c_s3_request_seconds_sum", "operation", "put"));
        assertThat(after.find("d2c_s3_request_seconds_count", "operation", "copy_to")).isPresent();
        assertThat(text).as("object keys never become labels").doesNotContain("secret-name-b");
        assertThat(after.find("d2c_s3_request_seconds_bucket", "operation", "put", "le", "0.1")).isPresent();
        assertThat(after.value("d2c_sql_statement_seconds_count", "repository", "sweeps")
                - before.value("d2c_sql_statement_seconds_count", "repository", "sweeps")).isGreaterThanOrEqualTo(1.0);
        assertThat(after.named("hikaricp_connections_acquire_seconds_count")).isNotEmpty();
        assertThat(after.named("jvm_memory_used_bytes")).isNotEmpty();
    }

    @Test
    void theParserRejectsWhatIsNotExpositionFormat() {
        assertThat(PrometheusText.parse("# HELP x y\n# TYPE x counter\nx_total{a=\"b\",c=\"d\"} 3.0\ny 1\n").value(
                "x_total", "c", "d")).isEqualTo(3.0);
        assertThatThrownBy(() -> PrometheusText.parse("<html>not metrics</html>\n"))
                .hasMessageContaining("line 1");
    }
}
