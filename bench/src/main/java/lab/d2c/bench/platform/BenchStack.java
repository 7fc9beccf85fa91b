package lab.d2c.bench.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import lab.d2c.api.sweep.SweepService;
import lab.d2c.api.platform.D2cConfig;
import lab.d2c.store.db.ExperimentRecord;
import lab.d2c.store.db.ExperimentRepository;
import lab.d2c.store.db.LinkedNode;
import lab.d2c.store.db.NodeRecord;
import lab.d2c.store.db.NodeRepository;
import lab.d2c.store.db.Status;
import lab.d2c.store.db.SweepRecord;
import lab.d2c.store.db.SweepRepository;
import lab.d2c.store.embedded.FreePort;

/** What the platform benchmarks share: a fresh stack in its own directory, and running a sweep to its end. */
final class BenchStack {

    static final YAMLMapper YAML = new YAMLMapper();

    private BenchStack() {
    }

    /** A configuration with free ports and an empty data directory under {@code parent}. */
    static D2cConfig freshConfig(Path parent, String name) {
        try {
            Files.createDirectories(parent);
            Path dir = Files.createTempDirectory(parent.toAbsolutePath(), name + "-");
            Map<String, String> env = new HashMap<>();
            env.put("D2C_EMBEDDED_PG_PORT", String.valueOf(FreePort.find()));
            env.put("D2C_EMBEDDED_S3_PORT", String.valueOf(FreePort.find()));
            env.put("D2C_EMBEDDED_TEMPORAL_PORT", String.valueOf(FreePort.find()));
            env.put("D2C_API_PORT", "0");
            env.put("D2C_TASK_QUEUE", "d2c-bench-" + name);
            return D2cConfig.load(env, Optional.of(dir));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A bundled sweep with its seeds and arms replaced. */
    static String withArms(String specText, List<Long> seeds, List<Map<String, Object>> arms) {
        try {
            ObjectNode spec = (ObjectNode) YAML.readTree(specText);
            ArrayNode s = spec.putArray("seeds");
            seeds.forEach(s::add);
            spec.remove("arms");
            if (!arms.isEmpty()) {
                spec.set("arms", YAML.valueToTree(arms));
            }
            return YAML.writeValueAsString(spec);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sets {@code path} (dotted) in a sweep's {@code config} block. */
    static String withConfig(String specText, Map<String, Object> settings) {
        try {
            ObjectNode spec = (ObjectNode) YAML.readTree(specText);
            ObjectNode config = spec.with("config");
            for (var e : settings.entrySet()) {
                String[] parts = e.getKey().split("\\.");
                ObjectNode at = config;
                for (int i = 0; i < parts.length - 1; i++) {
                    at = at.with(parts[i]);
                }
                at.set(parts[parts.length - 1], YAML.valueToTree(e.getValue()));
            }
            return YAML.writeValueAsString(spec);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A node that ran, as the ledger recorded it. */
    record RanNode(String key, String kind, Instant startedAt, Instant finishedAt, long durationMs, int arms) {
    }

    /** A finished sweep: its record and the nodes it ran (each once, however many arms shared it). */
    record SweepRun(SweepRecord sweep, List<RanNode> nodes) {

        /** Submission to the first node activity's start. */
        Duration firstActivityLatency() {
            return Duration.between(sweep.createdAt(), nodes.get(0).startedAt());
        }

        Duration wall() {
            return Duration.between(sweep.createdAt(), sweep.finishedAt());
        }

        long busyMs() {
            return nodes.stream().mapToLong(RanNode::durationMs).sum();
        }
    }

    /** Submits {@code specText}, waits for the sweep to end (a line every 30 s), and reads what ran. */
    static SweepRun run(LocalStacks.Running rt, String specText, Duration limit, PrintStream out) throws InterruptedException {
        SweepService.Submitted s = rt.sweeps().submit(specText);
        SweepRepository sweeps = new SweepRepository(rt.platform().database().dataSource());
        NodeRepository nodeRepo = new NodeRepository(rt.platform().database().dataSource());
        ExperimentRepository experiments = new ExperimentRepository(rt.platform().database().dataSource());
        long start = System.nanoTime();
        long lastLine = start;
        SweepRecord sweep;
        while (true) {
            sweep = sweeps.find(s.sweepId()).orElseThrow();
            if (sweep.status().isTerminal()) {
                break;
            }
            long now = System.nanoTime();
            if (Duration.ofNanos(now - start).compareTo(limit) > 0) {
                throw new IllegalStateException("sweep " + s.sweepId() + " still " + sweep.status() + " after " + limit);
            }
            if (now - lastLine > 30_000_000_000L) {
                lastLine = now;
                out.printf("  ... %s %s, %d s%n", s.sweepId(), sweep.status(), (now - start) / 1_000_000_000L);
            }
            Thread.sleep(1000);
        }
        if (sweep.status() != Status.SUCCEEDED) {
            throw new IllegalStateException("sweep " + s.sweepId() + " ended " + sweep.status() + ": " + sweep.error());
        }
        Map<String, RanNode> ran = new LinkedHashMap<>();
        Map<String, Integer> arms = new HashMap<>();
        for (ExperimentRecord e : experiments.listBySweep(s.sweepId())) {
            for (LinkedNode link : nodeRepo.listByExperiment(e.id())) {
                NodeRecord n = link.node();
                arms.merge(n.key(), 1, Integer::sum);
                if (n.startedAt() != null && n.durationMs() != null) {
                    ran.put(n.key(), new RanNode(n.key(), n.kind(), n.startedAt(), n.finishedAt(), n.durationMs(), 0));
                }
            }
        }
        List<RanNode> nodes = new ArrayList<>();
        ran.values().stream().sorted(java.util.Comparator.comparing(RanNode::startedAt))
                .forEach(n -> nodes.add(new RanNode(n.key(), n.kind(), n.startedAt(), n.finishedAt(), n.durationMs(),
                        arms.get(n.key()))));
        return new SweepRun(sweep, nodes);
    }

    static double seconds(long ms) {
        return ms / 1000.0;
    }

    static JsonNode json(Object o) {
        return YAML.valueToTree(o);
    }
}
