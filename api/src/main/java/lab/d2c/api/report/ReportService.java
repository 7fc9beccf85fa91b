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
import javax.sql.DataSource;
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

/** Gathers each experiment's evaluate-node rows from PostgreSQL and builds the {@link SweepReport}. */
public final class ReportService {

    /** The node kind whose rows fill the table (workflows' EvaluateNode.KIND). */
    static final String EVALUATE = "evaluate";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ExperimentRepository experiments;
    private final NodeRepository nodes;
    private final EvaluationRepository evaluations;
    private final SweepRepository sweeps;

    public ReportService(DataSource dataSource) {
        this.experiments = new ExperimentRepository(dataSource);
        this.nodes = new NodeRepository(dataSource);
        this.evaluations = new EvaluationRepository(dataSource);
        this.sweeps = new SweepRepository(dataSource);
    }

    public SweepReport report(String sweepId) {
        Map<String, Set<String>> armKeys = sweeps.find(sweepId).map(ReportService::armOverrideKeys).orElse(Map.of());
        List<ArmScores> scores = new ArrayList<>();
        for (ExperimentRecord e : experiments.listBySweep(sweepId)) {
            List<String> evaluated = nodes.listByExperiment(e.id()).stream().map(LinkedNode::node)
                    .filter(n -> n.kind().equals(EVALUATE) && n.status() == Status.SUCCEEDED).map(n -> n.key())
                    .toList();
            Map<String, Double> metrics = new LinkedHashMap<>();
            for (Evaluation row : evaluations.ofNodes(evaluated)) {
                metrics.put(row.metric(), row.value());
            }
            ObjectNode params = params(e);
            JsonNode arm = params.get(SweepSpec.ARM_PARAM);
            if (arm != null) {
                // a named arm is known by its name: its overrides would only repeat it in the label
                armKeys.getOrDefault(arm.asText(), Set.of()).forEach(params::remove);
            }
            scores.add(new ArmScores(ReportBuilder.label(params), params, e.seed(), e.status().name(), metrics));
        }
        return ReportBuilder.build(sweepId, scores);
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

    private static ObjectNode params(ExperimentRecord e) {
        try {
            return (ObjectNode) JSON.readTree(e.paramsJson());
        } catch (JsonProcessingException | ClassCastException ex) {
            throw new IllegalStateException("experiment " + e.id() + " has unreadable params", ex);
        }
    }
}
