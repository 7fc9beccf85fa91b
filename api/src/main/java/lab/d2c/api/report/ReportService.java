package lab.d2c.api.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.io.IOException;
import javax.sql.DataSource;
import lab.d2c.store.artifact.ArtifactStore;
import lab.d2c.store.db.NodeRecord;
import lab.d2c.store.db.Evaluation;
import lab.d2c.store.db.EvaluationRepository;
import lab.d2c.store.db.ExperimentRecord;
import lab.d2c.store.db.ExperimentRepository;
import lab.d2c.store.db.LinkedNode;
import lab.d2c.store.db.NodeRepository;
import lab.d2c.store.db.Status;
import lab.d2c.store.db.SweepRecord;
import lab.d2c.store.db.SweepRepository;
import lab.d2c.workflows.spec.SweepSpec;

/**
 * Gathers each experiment's evaluate-node rows from PostgreSQL, and the FID bootstrap replicates its
 * evaluate node wrote ({@code fid_bootstrap}, read through the artifact store once per object and kept,
 * so a report reload costs SQL only), and builds the {@link SweepReport}.
 */
public final class ReportService {

    /** The node kind whose rows fill the table (workflows' EvaluateNode.KIND). */
    static final String EVALUATE = "evaluate";
    /** The evaluate node's artifact role of its FID bootstrap replicates. */
    static final String REPLICATES = "fid_bootstrap";
    private static final int CACHED = 4096;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ExperimentRepository experiments;
    private final NodeRepository nodes;
    private final EvaluationRepository evaluations;
    private final SweepRepository sweeps;
    private final ArtifactStore artifacts;
    /** Replicates by object key: an evaluate node's objects do not change once it succeeded. */
    private final Map<String, Map<String, double[]>> replicateCache = java.util.Collections.synchronizedMap(
            new LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Map<String, double[]>> eldest) {
                    return size() > CACHED;
                }
            });

    /** Without an artifact store: no replicates, so comparisons have no intervals. */
    public ReportService(DataSource dataSource) {
        this(dataSource, null);
    }

    public ReportService(DataSource dataSource, ArtifactStore artifacts) {
        this.artifacts = artifacts;
        this.experiments = new ExperimentRepository(dataSource);
        this.nodes = new NodeRepository(dataSource);
        this.evaluations = new EvaluationRepository(dataSource);
        this.sweeps = new SweepRepository(dataSource);
    }

    public SweepReport report(String sweepId) {
        Map<String, Set<String>> armKeys = sweeps.find(sweepId).map(ReportService::armOverrideKeys).orElse(Map.of());
        List<ArmScores> scores = new ArrayList<>();
        for (ExperimentRecord e : experiments.listBySweep(sweepId)) {
            List<NodeRecord> linked = nodes.listByExperiment(e.id()).stream().map(LinkedNode::node).toList();
            List<NodeRecord> evaluateNodes = linked.stream()
                    .filter(n -> n.kind().equals(EVALUATE) && n.status() == Status.SUCCEEDED).toList();
            List<String> evaluated = evaluateNodes.stream().map(NodeRecord::key).toList();
            Map<String, Double> metrics = new LinkedHashMap<>();
            for (Evaluation row : evaluations.ofNodes(evaluated)) {
                metrics.put(row.metric(), row.value());
            }
            Map<String, double[]> replicates = new LinkedHashMap<>();
            for (NodeRecord n : evaluateNodes) {
                String key = n.artifactKeys() == null ? null : n.artifactKeys().get(REPLICATES);
                if (key != null && artifacts != null) {
                    replicates.putAll(replicateCache.computeIfAbsent(key, this::readReplicates));
                }
            }
            ObjectNode params = labelParams(e, armKeys);
            scores.add(new ArmScores(ReportBuilder.label(params), params, e.seed(), e.status().name(), metrics,
                    family(e), replicates, generators(linked)));
        }
        return ReportBuilder.build(sweepId, scores);
    }

    /**
     * The sweep's experiments grouped as the report's rows are: row label to its experiments (seeds),
     * in the rows' order, for what draws per arm ({@code plot}).
     */
    public Map<String, List<ExperimentRecord>> experimentsByArm(String sweepId) {
        Map<String, Set<String>> armKeys = sweeps.find(sweepId).map(ReportService::armOverrideKeys).orElse(Map.of());
        Map<String, List<ExperimentRecord>> out = new LinkedHashMap<>();
        for (ExperimentRecord e : experiments.listBySweep(sweepId)) {
            out.computeIfAbsent(ReportBuilder.label(labelParams(e, armKeys)), k -> new ArrayList<>()).add(e);
        }
        return out;
    }

    /**
     * The succeeded generator trainers among the inputs (transitively) of the experiment's evaluate nodes, or
     * of all its linked nodes before it has one: the models its images come from, not every model its graph
     * trained (a MAR arm's graph may train stage one that its stage two never reads).
     */
    static Map<String, GeneratorBudget> generators(List<NodeRecord> linked) {
        Map<String, NodeRecord> byKey = new LinkedHashMap<>();
        linked.forEach(n -> byKey.put(n.key(), n));
        List<String> roots = linked.stream().filter(n -> n.kind().equals(EVALUATE)).map(NodeRecord::key).toList();
        java.util.Deque<String> todo = new java.util.ArrayDeque<>(roots.isEmpty() ? byKey.keySet() : roots);
        Set<String> seen = new HashSet<>();
        Map<String, GeneratorBudget> out = new LinkedHashMap<>();
        while (!todo.isEmpty()) {
            NodeRecord n = byKey.get(todo.pop());
            if (n == null || !seen.add(n.key())) {
                continue;
            }
            if (SweepReport.GENERATORS.contains(n.kind()) && n.status() == Status.SUCCEEDED && n.resultJson() != null) {
                GeneratorBudget b = GeneratorBudget.of(n.kind(), n.key(), readTree(n.resultJson()));
                if (b != null) {
                    out.putIfAbsent(n.kind(), b);
                }
            }
            readTree(n.inputKeysJson()).properties().forEach(input -> todo.push(input.getValue().asText()));
        }
        return out;
    }

    /** The params a row is labelled by: a named arm's own overrides left out. */
    private static ObjectNode labelParams(ExperimentRecord e, Map<String, Set<String>> armKeys) {
        ObjectNode params = params(e);
        JsonNode arm = params.get(SweepSpec.ARM_PARAM);
        if (arm != null) {
            // a named arm is known by its name: its overrides would only repeat it in the label
            armKeys.getOrDefault(arm.asText(), Set.of()).forEach(params::remove);
        }
        return params;
    }

    private static JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("unreadable node JSON: " + ex.getOriginalMessage(), ex);
        }
    }

    /**
     * Per arms-list name, the keys its overrides set that the grid does not vary. Spec JSON as stored by
     * the launch: {@code variants: [{name, overrides: {key: value}}]}, {@code parameters: {key: [...]}}.
     */
    static Map<String, Set<String>> armOverrideKeys(SweepRecord sweep) {
        JsonNode spec;
        try {
            spec = JSON.readTree(sweep.specJson());
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("sweep " + sweep.id() + " has an unreadable spec", ex);
        }
        Set<String> grid = new HashSet<>();
        spec.path("parameters").fieldNames().forEachRemaining(grid::add);
        Map<String, Set<String>> keys = new HashMap<>();
        for (JsonNode variant : spec.path("variants")) {
            Set<String> own = new HashSet<>();
            variant.path("overrides").fieldNames().forEachRemaining(k -> {
                if (!grid.contains(k)) {
                    own.add(k);
                }
            });
            keys.put(variant.path("name").asText(), own);
        }
        return keys;
    }

    /** {@code fid_bootstrap.json}: {@code {"metric": "fid-<x>", "replicates": [...]}}. */
    Map<String, double[]> readReplicates(String key) {
        try {
            return parseReplicates(artifacts.getBytes(key));
        } catch (RuntimeException | IOException ex) {
            throw new IllegalStateException("cannot read the FID bootstrap replicates " + key, ex);
        }
    }

    static Map<String, double[]> parseReplicates(byte[] json) throws IOException {
        JsonNode node = JSON.readTree(json);
        JsonNode values = node.path("replicates");
        double[] r = new double[values.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = values.get(i).asDouble();
        }
        return Map.of(node.path("metric").asText(), r);
    }

    private static String family(ExperimentRecord e) {
        try {
            JsonNode config = JSON.readTree(e.configJson());
            return config instanceof ObjectNode o ? ArmFamily.of(o) : null;
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("experiment " + e.id() + " has an unreadable config", ex);
        }
    }

    private static ObjectNode params(ExperimentRecord e) {
        try {
            return (ObjectNode) JSON.readTree(e.paramsJson());
        } catch (JsonProcessingException | ClassCastException ex) {
            throw new IllegalStateException("experiment " + e.id() + " has unreadable params", ex);
        }
    }
}
