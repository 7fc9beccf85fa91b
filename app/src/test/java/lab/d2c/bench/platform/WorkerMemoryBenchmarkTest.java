package lab.d2c.bench.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import lab.d2c.app.local.LocalModeStacks;
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
                LocalModeStacks.INSTANCE, new PrintStream(printed, true));
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
    void readsTheResidentPartOfALiveJvmsHeap() throws Exception {
        long pid = ProcessHandle.current().pid();
        long[] heap = WorkerMemoryBenchmark.heapRange(pid);
        assertThat(heap).as("this JDK's jcmd reads the heap's range").isNotNull();
        assertThat(heap[1]).isGreaterThan(heap[0]);
        byte[] held = new byte[32 << 20];
        java.util.Arrays.fill(held, (byte) 1);
        Runtime rt = Runtime.getRuntime();
        long usedKb = (rt.totalMemory() - rt.freeMemory()) / 1024;
        long residentKb = WorkerMemoryBenchmark.heapResidentKb(pid, heap);
        long committedKb = rt.totalMemory() / 1024;
        // live objects are written, so resident; uncommitted heap cannot be resident
        assertThat(residentKb).isGreaterThanOrEqualTo(usedKb - 16 * 1024).isGreaterThanOrEqualTo(held.length / 1024)
                .isLessThanOrEqualTo(committedKb + 16 * 1024).isLessThan(WorkerMemoryBenchmark.rssKb(pid));
    }
}
