package lab.d2c.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The progress a log file gets: one plain line per change, counted in nodes, times as h:mm:ss. */
class SweepWatchTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A sweep view as GET /api/v1/sweeps/{id} gives it: per arm {status, nodes_done, nodes_total}. */
    private static JsonNode view(String status, Object... arms) {
        ObjectNode s = JSON.createObjectNode().put("id", "smoke-1").put("status", status).put("arm_count", arms.length / 3);
        s.put("progress", 0.123);
        ArrayNode exps = s.putArray("experiments");
        for (int i = 0; i < arms.length; i += 3) {
            exps.addObject().put("status", (String) arms[i]).put("nodes_done", (int) arms[i + 1])
                    .put("nodes_total", (int) arms[i + 2]);
        }
        return s;
    }

    @Test
    void aLogGetsOneLinePerChangeCountedInNodes() throws Exception {
        List<JsonNode> views = List.of(
                view("RUNNING", "RUNNING", 0, 5, "PENDING", 0, 5),
                view("RUNNING", "RUNNING", 0, 5, "PENDING", 0, 5), // no change: no line
                view("RUNNING", "RUNNING", 2, 5, "RUNNING", 1, 5),
                view("RUNNING", "RUNNING", 2, 5, "RUNNING", 1, 5),
                view("RUNNING", "SUCCEEDED", 5, 5, "RUNNING", 4, 5),
                view("SUCCEEDED", "SUCCEEDED", 5, 5, "SUCCEEDED", 5, 5));
        Iterator<JsonNode> next = views.subList(1, views.size()).iterator();
        AtomicLong clock = new AtomicLong(0);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        JsonNode end;
        try (SweepWatch.Display d = SweepWatch.plain(out, () -> clock.getAndAdd(1_000_000))) {
            end = SweepWatch.watch(views.get(0), next::next, d, 0);
        }

        assertThat(end.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(next.hasNext()).isFalse();
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertThat(text).doesNotContain("\r");
        // each reading of the clock advances it 1000 s; the start took the first, and unchanged views read none
        assertThat(text.lines()).containsExactly(
                "0:16:40 sweep smoke-1 RUNNING: 0/10 nodes, 0/2 arms done, 1 running",
                "0:33:20 sweep smoke-1 RUNNING: 3/10 nodes, 0/2 arms done, 2 running",
                "0:50:00 sweep smoke-1 RUNNING: 9/10 nodes, 1/2 arms done, 1 running",
                "1:06:40 sweep smoke-1 SUCCEEDED: 10/10 nodes, 2/2 arms done, SUCCEEDED");
    }

    @Test
    void timesReadHoursMinutesSeconds() {
        assertThat(SweepProgress.hms(Duration.ofSeconds(3725))).isEqualTo("1:02:05");
        assertThat(SweepProgress.hms(Duration.ofSeconds(59))).isEqualTo("0:00:59");
        assertThat(SweepProgress.hms(Duration.ofHours(27))).isEqualTo("27:00:00");
    }
}
