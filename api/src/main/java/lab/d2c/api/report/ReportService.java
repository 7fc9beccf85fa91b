package lab.d2c.api.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import lab.d2c.store.db.Evaluation;
import lab.d2c.store.db.EvaluationRepository;
import lab.d2c.store.db.ExperimentRecord;
import lab.d2c.store.db.ExperimentRepository;
import lab.d2c.store.db.LinkedNode;
import lab.d2c.store.db.NodeRepository;
import lab.d2c.store.db.Status;

/** Gathers each experiment's evaluate-node rows from PostgreSQL and builds the {@link SweepReport}. */
public final class ReportService {

    /** The node kind whose rows fill the table (workflows' EvaluateNode.KIND). */
    static final String EVALUATE = "evaluate";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ExperimentRepository experiments;
    private final NodeRepository nodes;
    private final EvaluationRepository evaluations;

    public ReportService(DataSource dataSource) {
        this.experiments = new ExperimentRepository(dataSource);
        this.nodes = new NodeRepository(dataSource);
        this.evaluations = new EvaluationRepository(dataSource);
    }

    public SweepReport report(String sweepId) {
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
            scores.add(new ArmScores(ReportBuilder.label(params), params, e.seed(), e.status().name(), metrics));
        }
        return ReportBuilder.build(sweepId, scores);
    }

    private static ObjectNode params(ExperimentRecord e) {
        try {
            return (ObjectNode) JSON.readTree(e.paramsJson());
        } catch (JsonProcessingException | ClassCastException ex) {
            throw new IllegalStateException("experiment " + e.id() + " has unreadable params", ex);
        }
    }
}
