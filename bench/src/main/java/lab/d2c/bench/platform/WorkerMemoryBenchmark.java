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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import lab.d2c.api.sweep.SweepService;
import lab.d2c.api.platform.D2cConfig;
import lab.d2c.store.db.LinkedNode;
import lab.d2c.store.db.NodeRepository;
import lab.d2c.store.db.Status;
import lab.d2c.store.db.SweepRepository;
import lab.d2c.workflows.spec.BundledSweeps;

/**
 * A worker's memory while it trains (issue 9, part 4): a fresh stack runs the workflows, a separate {@code d2c
 * worker} process (the JVM options of {@code ./d2c}) runs every node of one arm of the bundled sweep with each
 * trainer set to {@code steps} steps, and its resident set (VmRSS from /proc) is read every 250 ms next to
 * the running node's progress. Per node kind: the peak, and the growth from 10% to 95% of the node's progress
 * (a leak of NDArrays or of the heap shows there; checkpoints and evaluation come after 95%), in all and
 * outside the Java heap: the resident pages of the heap's reservation (from /proc's smaps) are taken off,
 * since G1 touches fresh heap regions for a long while before its first collections and that raises RSS
 * without any leak.
 */
public final class WorkerMemoryBenchmark {

    static final List<String> TRAINERS = List.of("vq", "vae", "classifier", "stage1", "stage2");

    public record Options(String sweep, int steps, Path workDir) {
    }

    /** RSS and, when it could be read, the resident part of the Java heap (-1 otherwise), both in KiB. */
    private record Sample(long rssKb, long heapKb, String kind, double progress) {

        /** Resident memory outside the Java heap (libtorch's tensors among it), or -1. */
        long outsideHeapKb() {
            return heapKb < 0 ? -1 : rssKb - heapKb;
        }
    }

    private WorkerMemoryBenchmark() {
    }

    public static ObjectNode run(Options o, LocalStacks stacks, PrintStream out) throws Exception {
        Map<String, Object> settings = new LinkedHashMap<>();
        for (String t : TRAINERS) {
            settings.put(t + ".train.steps", o.steps());
            settings.put(t + ".train.checkpoint_every", Math.max(1, o.steps() / 4));
        }
        String spec = BenchStack.withConfig(BenchStack.withArms(BundledSweeps.read(o.sweep()), List.of(0L), List.of()), settings);
        out.println("== worker memory: one arm of bundled sweep '" + o.sweep() + "', every trainer " + o.steps()
                + " steps, in a separate worker process");
        D2cConfig config = BenchStack.freshConfig(o.workDir(), "memory");
        try (LocalStacks.Running rt = stacks.start(config, false, 1, PlatformBenchmark.quiet())) {
            Path log = rt.platform().config().dataDir().resolve("bench-worker.log");
            ProcessBuilder pb = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:+UseG1GC", "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"),
                    stacks.cliMainClass(), "worker", "--name", "bench-memory"))
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().putAll(rt.platform().config().processEnv());
            Process worker = pb.start();
            try {
                return measure(rt, worker, spec, log, out);
            } finally {
                worker.destroy();
                if (!worker.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                    worker.destroyForcibly().waitFor();
                }
            }
        }
    }

    private static ObjectNode measure(LocalStacks.Running rt, Process worker, String spec, Path log, PrintStream out)
            throws Exception {
        Thread.sleep(5000);
        long idleKb = rssKb(worker.pid());
        SweepService.Submitted s = rt.sweeps().submit(spec);
        String experiment = s.experimentIds().get(0);
        SweepRepository sweeps = new SweepRepository(rt.platform().database().dataSource());
        NodeRepository nodes = new NodeRepository(rt.platform().database().dataSource());
        List<Sample> samples = new ArrayList<>();
        long start = System.nanoTime();
        String lastKind = null;
        long[] heapRange = heapRange(worker.pid());
        long heapKb = heapResidentKb(worker.pid(), heapRange);
        for (int tick = 1; !sweeps.find(s.sweepId()).orElseThrow().status().isTerminal(); tick++) {
            if (!worker.isAlive()) {
                throw new IllegalStateException("the worker process died; its log: " + log);
            }
            long rss = rssKb(worker.pid());
            if (tick % 4 == 0) {
                heapKb = heapResidentKb(worker.pid(), heapRange);
            }
            for (LinkedNode link : nodes.listByExperiment(experiment)) {
                if (link.node().status() == Status.RUNNING) {
                    double p = link.node().progress() == null ? 0 : link.node().progress();
                    samples.add(new Sample(rss, heapKb, link.node().kind(), p));
                    if (!link.node().kind().equals(lastKind)) {
                        lastKind = link.node().kind();
                        out.printf("  %4d s: %s (worker RSS %d MiB)%n", (System.nanoTime() - start) / 1_000_000_000L,
                                lastKind, rss / 1024);
                    }
                }
            }
            if (Duration.ofNanos(System.nanoTime() - start).toHours() >= 3) {
                throw new IllegalStateException("sweep " + s.sweepId() + " not finished after 3 h");
            }
            Thread.sleep(250);
        }
        var end = sweeps.find(s.sweepId()).orElseThrow();
        if (end.status() != Status.SUCCEEDED) {
            throw new IllegalStateException("sweep " + s.sweepId() + " ended " + end.status() + ": " + end.error());
        }
        out.printf("idle worker RSS %d MiB%n", idleKb / 1024);
        out.printf("%-18s %8s %12s %12s %12s %20s %22s%n", "node", "peak MiB", "at 10% MiB", "at 95% MiB", "growth MiB",
                "outside heap growth", "of it from 50% to 95%");
        ArrayNode rows = JsonNodeFactory.instance.arrayNode();
        Map<String, List<Sample>> byKind = new LinkedHashMap<>();
        samples.forEach(x -> byKind.computeIfAbsent(x.kind(), k -> new ArrayList<>()).add(x));
        for (var e : byKind.entrySet()) {
            List<Sample> ks = e.getValue();
            long peak = ks.stream().mapToLong(Sample::rssKb).max().orElse(0);
            Sample early = ks.stream().filter(x -> x.progress() >= 0.10).findFirst().orElse(null);
            Sample late = ks.stream().filter(x -> x.progress() <= 0.95).reduce((a, b) -> b).orElse(null);
            // a leak grows with the steps, so it shows in the second half too; a first node's warm-up
            // (allocator arenas, kernel caches) shows only early
            Sample middle = ks.stream().filter(x -> x.progress() >= 0.50).findFirst().orElse(null);
            boolean both = early != null && late != null && late.progress() > early.progress();
            boolean heap = both && early.heapKb() >= 0 && late.heapKb() >= 0;
            boolean half = heap && middle != null && middle.heapKb() >= 0 && late.progress() > middle.progress();
            out.printf("%-18s %8d %12s %12s %12s %20s %22s%n", e.getKey(), peak / 1024,
                    both ? String.valueOf(early.rssKb() / 1024) : "-", both ? String.valueOf(late.rssKb() / 1024) : "-",
                    both ? String.valueOf((late.rssKb() - early.rssKb()) / 1024) : "-",
                    heap ? String.valueOf((late.outsideHeapKb() - early.outsideHeapKb()) / 1024) : "-",
                    half ? String.valueOf((late.outsideHeapKb() - middle.outsideHeapKb()) / 1024) : "-");
            ObjectNode row = JsonNodeFactory.instance.objectNode().put("kind", e.getKey()).put("peak_rss_mib", peak / 1024.0)
                    .put("samples", ks.size());
            if (both) {
                row.put("rss_at_10pct_mib", early.rssKb() / 1024.0).put("rss_at_95pct_mib", late.rssKb() / 1024.0)
                        .put("growth_mib", (late.rssKb() - early.rssKb()) / 1024.0);
            }
            if (heap) {
                row.put("outside_heap_growth_mib", (late.outsideHeapKb() - early.outsideHeapKb()) / 1024.0);
            }
            if (half) {
                row.put("outside_heap_growth_second_half_mib", (late.outsideHeapKb() - middle.outsideHeapKb()) / 1024.0);
            }
            rows.add(row);
        }
        long peakAll = samples.stream().mapToLong(Sample::rssKb).max().orElse(0);
        out.printf("worker peak RSS over the sweep %d MiB (goal <= 3072 MiB on tiny)%n", peakAll / 1024);
        ObjectNode r = JsonNodeFactory.instance.objectNode().put("idle_rss_mib", idleKb / 1024.0)
                .put("peak_rss_mib", peakAll / 1024.0);
        r.set("per_node", rows);
        return r;
    }

    /**
     * The address range [from, to) the JVM {@code pid} reserved for its Java heap, from {@code jcmd GC.heap_info}
     * of this JDK ("garbage-first heap total ..., used ... [0x..., 0x...)"); null when it cannot be read.
     */
    static long[] heapRange(long pid) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        if (!Files.isExecutable(jcmd)) {
            return null;
        }
        try {
            Process p = new ProcessBuilder(jcmd.toString(), String.valueOf(pid), "GC.heap_info").redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (!p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
                return null;
            }
            var m = java.util.regex.Pattern.compile("heap\\s+total.*\\[0x([0-9a-f]+),\\s*0x([0-9a-f]+)\\)").matcher(text);
            return m.find() ? new long[] {Long.parseUnsignedLong(m.group(1), 16), Long.parseUnsignedLong(m.group(2), 16)} : null;
        } catch (IOException | NumberFormatException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * The resident pages (KiB) of the mappings of {@code pid} inside {@code heap}, from /proc/pid/smaps: the
     * part of RSS that is Java heap. RSS minus this is what the process holds outside the heap, libtorch's
     * tensors among it. -1 when {@code heap} is null or smaps cannot be read.
     */
    static long heapResidentKb(long pid, long[] heap) {
        if (heap == null) {
            return -1;
        }
        try {
            long kb = 0;
            boolean inside = false;
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "smaps"))) {
                int dash = line.indexOf('-');
                int space = line.indexOf(' ');
                if (dash > 0 && space > dash && !line.endsWith(" kB")) {
                    long from = Long.parseUnsignedLong(line.substring(0, dash), 16);
                    long to = Long.parseUnsignedLong(line.substring(dash + 1, space), 16);
                    inside = from >= heap[0] && to <= heap[1];
                } else if (inside && line.startsWith("Rss:")) {
                    kb += Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            return kb;
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /** The resident set of a process, from /proc (Linux). */
    static long rssKb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no VmRSS in /proc/" + pid + "/status");
    }
}
