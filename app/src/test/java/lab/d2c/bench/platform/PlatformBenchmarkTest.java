package lab.d2c.bench.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import lab.d2c.app.local.LocalModeStacks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./d2c bench platform} end to end on the smoke sweep. It asserts no speed: only what the
 * ledger must show whatever the machine, above all the sweep-cache law's counts (N arms that differ in
 * stage two run the shared nodes once and the per-arm nodes N times).
 */
class PlatformBenchmarkTest {

    @TempDir
    Path work;

    @Test
    void measuresOverheadCheckpointIoAndTheCacheLaw() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        JsonNode r = PlatformBenchmark.run(new PlatformBenchmark.Options("smoke", "smoke", List.of(1, 2), 2, 1, work),
                LocalModeStacks.INSTANCE, new PrintStream(printed, true));

        JsonNode overhead = r.get("overhead");
        int nodes = overhead.get("nodes").asInt();
        assertThat(nodes).isEqualTo(overhead.get("per_node").size()).isGreaterThanOrEqualTo(10);
        assertThat(overhead.get("first_activity_ms").asLong()).isNotNegative();
        assertThat(overhead.get("node_run_ms").asLong()).isPositive();
        assertThat(overhead.get("wall_ms").asLong()).isGreaterThanOrEqualTo(overhead.get("node_run_ms").asLong());
        assertThat(overhead.get("s3_calls").asLong()).isPositive();
        assertThat(overhead.get("sql_calls").asLong()).isPositive();

        assertThat(r.at("/checkpoint_io/write_mib_s").asDouble()).isPositive();
        assertThat(r.at("/checkpoint_io/read_mib_s").asDouble()).isPositive();

        JsonNode one = r.get("cache_law").get(0);
        JsonNode two = r.get("cache_law").get(1);
        assertThat(two.get("shared_nodes").asInt()).isEqualTo(one.get("shared_nodes").asInt()).isPositive();
        assertThat(one.get("per_arm_nodes").asInt()).isEqualTo(3);
        assertThat(two.get("per_arm_nodes").asInt()).isEqualTo(2 * one.get("per_arm_nodes").asInt());
        assertThat(printed.toString()).contains("submission -> first activity start", "MiB/s", "predicted");
    }
}
