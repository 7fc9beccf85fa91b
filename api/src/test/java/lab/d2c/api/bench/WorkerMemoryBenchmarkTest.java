package lab.d2c.api.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./d2c bench memory} end to end on the smoke sweep: a worker process's memory is read during every trainer. */
class WorkerMemoryBenchmarkTest {

    @TempDir
    Path work;

    @Test
    void readsTheWorkerProcessMemoryDuringEveryTrainer() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        JsonNode r = WorkerMemoryBenchmark.run(new WorkerMemoryBenchmark.Options("smoke", 40, work),
                new PrintStream(printed, true));
        Set<String> kinds = new HashSet<>();
        for (JsonNode row : r.get("per_node")) {
            kinds.add(row.get("kind").asText());
            assertThat(row.get("peak_rss_mib").asDouble()).isPositive();
        }
        assertThat(kinds).contains("train-vq", "train-vae", "train-classifier", "train-stage1", "train-stage2");
        // a JVM with libtorch loaded holds far more than the 64 MiB an empty one does
        assertThat(r.get("peak_rss_mib").asDouble()).isGreaterThan(r.get("idle_rss_mib").asDouble()).isGreaterThan(64);
        assertThat(printed.toString()).contains("worker peak RSS");
    }

    @Test
    void readsTheCommittedHeapOfALiveJvm() throws Exception {
        long kb = WorkerMemoryBenchmark.heapCommittedKb(ProcessHandle.current().pid());
        // this JDK has jstat; the test JVM's committed heap is more than a MiB and less than the machine
        assertThat(kb).isGreaterThan(1024).isLessThan(WorkerMemoryBenchmark.rssKb(ProcessHandle.current().pid()) * 64);
    }
}
