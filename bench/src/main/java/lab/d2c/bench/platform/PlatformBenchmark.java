package lab.d2c.bench.platform;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import lab.d2c.store.StoreTimings;
import lab.d2c.store.artifact.ArtifactStore;
import lab.d2c.workflows.spec.BundledSweeps;

/**
 * The platform's own cost (issue 9, part 3), on fresh embedded stacks like {@code ./d2c demo}'s (one node
 * slot, so the worker either runs a node or waits for the orchestration):
 * <ul>
 *   <li>submission to the first node activity's start;</li>
 *   <li>orchestration overhead on a whole sweep: the time the node slot sat idle between nodes (Temporal
 *       child workflows, activity dispatch, ledger writes), the time before the first and after the last
 *       node, and every S3 and PostgreSQL call this process made meanwhile, inside nodes or not (an upper
 *       bound), as a share of the sweep's wall time;</li>
 *   <li>checkpoint write and read throughput to the S3 store;</li>
 *   <li>the sweep-cache law: N arms that differ only in stage two cost the shared part once plus N stage-two
 *       trainings.</li>
 * </ul>
 */
public final class PlatformBenchmark {

    /** Node kinds an arm that differs only in stage two runs for itself; every other node is shared. */
    static final Set<String> PER_ARM_KINDS = Set.of("train-stage2", "sample", "evaluate");

    /**
     * @param sweep        the bundled sweep whose overhead to measure ({@code demo}, or {@code smoke} for a quick look)
     * @param lawSweep     the bundled sweep the cache law varies ({@code stage2.seed} per arm)
     * @param lawArms      the arm counts N to run the law for
     * @param checkpointMb size of the checkpoint object written and read
     * @param workDir      where the fresh stacks keep their data
     */
    public record Options(String sweep, String lawSweep, List<Integer> lawArms, int checkpointMb, int repeats,
            Path workDir) {
    }

    private PlatformBenchmark() {
    }

    public static ObjectNode run(Options o, LocalStacks stacks, PrintStream out) throws Exception {
        ObjectNode report = JsonNodeFactory.instance.objectNode();
        if (o.sweep() != null) {
            report.set("overhead", overhead(o, stacks, out));
        }
        if (o.checkpointMb() > 0) {
            report.set("checkpoint_io", checkpointIo(o, stacks, out));
        }
        if (!o.lawArms().isEmpty()) {
            report.set("cache_law", cacheLaw(o, stacks, out));
        }
        return report;
    }

    private static ObjectNode overhead(Options o, LocalStacks stacks, PrintStream out) throws Exception {
        out.println("== orchestration overhead: bundled sweep '" + o.sweep() + "' on a fresh stack, 1 node slot");
        try (LocalStacks.Running rt = stacks.start(BenchStack.freshConfig(o.workDir(), "overhead"), true, 1, quiet())) {
            StoreTimings.Snapshot before = StoreTimings.snapshot();
            BenchStack.SweepRun run = BenchStack.run(rt, BundledSweeps.read(o.sweep()), Duration.ofHours(3), out);
            StoreTimings.Snapshot io = StoreTimings.snapshot().minus(before);
            List<BenchStack.RanNode> nodes = run.nodes();
            ArrayNode rows = JsonNodeFactory.instance.arrayNode();
            out.printf("%-18s %10s %14s%n", "node", "run s", "idle before s");
            long idleBetween = 0;
            for (int i = 0; i < nodes.size(); i++) {
                BenchStack.RanNode n = nodes.get(i);
                long gap = Duration.between(i == 0 ? run.sweep().createdAt() : nodes.get(i - 1).finishedAt(), n.startedAt()).toMillis();
                if (i > 0) {
                    idleBetween += gap;
                }
                out.printf("%-18s %10.2f %14.3f%n", n.kind(), BenchStack.seconds(n.durationMs()), gap / 1000.0);
                rows.add(JsonNodeFactory.instance.objectNode().put("kind", n.kind()).put("run_ms", n.durationMs())
                        .put("idle_before_ms", gap).put("arms", n.arms()));
            }
            long wallMs = run.wall().toMillis();
            long firstMs = run.firstActivityLatency().toMillis();
            long tailMs = Duration.between(nodes.get(nodes.size() - 1).finishedAt(), run.sweep().finishedAt()).toMillis();
            long s3Ms = io.s3Nanos() / 1_000_000;
            long sqlMs = io.sqlNanos() / 1_000_000;
            long overheadMs = firstMs + idleBetween + tailMs + s3Ms + sqlMs;
            double share = 100.0 * overheadMs / wallMs;
            double shareOfNodes = 100.0 * overheadMs / Math.max(1, run.busyMs());
            out.printf("submission -> first activity start   %8.3f s%n", firstMs / 1000.0);
            out.printf("node slot idle between %2d nodes       %8.3f s (%.3f s per node)%n", nodes.size(), idleBetween / 1000.0,
                    idleBetween / 1000.0 / Math.max(1, nodes.size() - 1));
            out.printf("last node end -> sweep SUCCEEDED      %8.3f s%n", tailMs / 1000.0);
            out.printf("S3 calls (%6d) in this process       %8.3f s%n", io.s3Calls(), s3Ms / 1000.0);
            out.printf("SQL statements (%6d)                 %8.3f s%n", io.sqlCalls(), sqlMs / 1000.0);
            out.printf("nodes' run time                       %8.3f s%n", run.busyMs() / 1000.0);
            out.printf("sweep wall time                       %8.3f s%n", wallMs / 1000.0);
            out.printf("orchestration overhead (upper bound)  %8.3f s = %.3f s per node = %.2f%% of the nodes' time"
                    + " (goal <= 2%%), %.2f%% of wall time%n", overheadMs / 1000.0, overheadMs / 1000.0 / nodes.size(),
                    shareOfNodes, share);
            ObjectNode r = JsonNodeFactory.instance.objectNode();
            r.put("sweep", o.sweep()).put("nodes", nodes.size()).put("first_activity_ms", firstMs)
                    .put("idle_between_nodes_ms", idleBetween).put("tail_ms", tailMs).put("s3_ms", s3Ms)
                    .put("s3_calls", io.s3Calls()).put("sql_ms", sqlMs).put("sql_calls", io.sqlCalls())
                    .put("node_run_ms", run.busyMs()).put("wall_ms", wallMs).put("overhead_ms", overheadMs)
                    .put("overhead_per_node_ms", overheadMs / (double) nodes.size())
                    .put("overhead_percent_of_node_time", shareOfNodes).put("overhead_percent_of_wall", share);
            r.set("per_node", rows);
            return r;
        }
    }

    private static ObjectNode checkpointIo(Options o, LocalStacks stacks, PrintStream out) throws Exception {
        out.println("== checkpoint I/O: " + o.checkpointMb() + " MiB object, " + o.repeats() + " writes and reads, in-JVM S3 server");
        Path dir = Files.createDirectories(o.workDir());
        Path file = Files.createTempFile(dir, "checkpoint", ".bin");
        Path back = dir.resolve(file.getFileName() + ".read");
        try (LocalStacks.Running rt = stacks.start(BenchStack.freshConfig(o.workDir(), "checkpoint-io"), false, 1, quiet())) {
            byte[] chunk = new byte[1 << 20];
            Random random = new Random(0);
            try (var w = Files.newOutputStream(file)) {
                for (int i = 0; i < o.checkpointMb(); i++) {
                    random.nextBytes(chunk);
                    w.write(chunk);
                }
            }
            ArtifactStore store = rt.platform().artifacts();
            double[] write = new double[o.repeats()];
            double[] read = new double[o.repeats()];
            for (int i = 0; i < o.repeats(); i++) {
                String key = "bench/checkpoint-" + i + ".bin";
                long t0 = System.nanoTime();
                store.putFile(key, file, ArtifactStore.OCTET_STREAM, null);
                long t1 = System.nanoTime();
                store.download(key, back);
                long t2 = System.nanoTime();
                write[i] = o.checkpointMb() / ((t1 - t0) / 1e9);
                read[i] = o.checkpointMb() / ((t2 - t1) / 1e9);
                store.delete(key);
            }
            double w = median(write);
            double r = median(read);
            out.printf("write %.0f MiB/s, read %.0f MiB/s (median; put computes sha256 as it streams)%n", w, r);
            return JsonNodeFactory.instance.objectNode().put("size_mib", o.checkpointMb()).put("write_mib_s", w)
                    .put("read_mib_s", r).put("repeats", o.repeats());
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(back);
        }
    }

    private static ArrayNode cacheLaw(Options o, LocalStacks stacks, PrintStream out) throws Exception {
        out.println("== sweep-cache law: bundled sweep '" + o.lawSweep() + "', N arms differing only in stage2.seed, fresh stack each");
        ArrayNode rows = JsonNodeFactory.instance.arrayNode();
        double sharedOne = -1;
        double perArmOne = -1;
        out.printf("%3s %13s %12s %14s %12s %11s %12s %10s%n", "N", "shared nodes", "shared s", "per-arm nodes",
                "per-arm s", "node s", "predicted s", "wall s");
        for (int n : o.lawArms()) {
            List<Map<String, Object>> arms = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                arms.add(Map.of("name", "stage2-seed-" + i, "stage2.seed", i));
            }
            String spec = BenchStack.withArms(BundledSweeps.read(o.lawSweep()), List.of(0L), arms);
            try (LocalStacks.Running rt = stacks.start(BenchStack.freshConfig(o.workDir(), "law-" + n), true, 1, quiet())) {
                BenchStack.SweepRun run = BenchStack.run(rt, spec, Duration.ofHours(2), out);
                long sharedMs = 0;
                long perArmMs = 0;
                int sharedNodes = 0;
                int perArmNodes = 0;
                for (BenchStack.RanNode node : run.nodes()) {
                    if (PER_ARM_KINDS.contains(node.kind())) {
                        perArmMs += node.durationMs();
                        perArmNodes++;
                    } else {
                        sharedMs += node.durationMs();
                        sharedNodes++;
                    }
                }
                double shared = sharedMs / 1000.0;
                double perArm = perArmMs / 1000.0;
                if (sharedOne < 0) {
                    sharedOne = shared;
                    perArmOne = perArm / n;
                }
                double predicted = sharedOne + n * perArmOne;
                double total = shared + perArm;
                out.printf("%3d %13d %12.2f %14d %12.2f %11.2f %12.2f %10.2f%n", n, sharedNodes, shared, perArmNodes,
                        perArm, total, predicted, run.wall().toMillis() / 1000.0);
                rows.add(JsonNodeFactory.instance.objectNode().put("arms", n).put("shared_nodes", sharedNodes)
                        .put("shared_s", shared).put("per_arm_nodes", perArmNodes).put("per_arm_s", perArm)
                        .put("node_s", total).put("predicted_s", predicted)
                        .put("wall_s", run.wall().toMillis() / 1000.0));
            }
        }
        out.println("predicted = shared(first N) + N x per-arm(first N) / first N");
        return rows;
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    static PrintStream quiet() {
        return new PrintStream(PrintStream.nullOutputStream());
    }

    static void writeJson(Path path, Object value) throws IOException {
        new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(path.toFile(), value);
    }
}
