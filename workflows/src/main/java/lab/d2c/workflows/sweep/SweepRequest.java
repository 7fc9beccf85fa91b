package lab.d2c.workflows.sweep;

import java.util.List;
import lab.d2c.workflows.experiment.ExperimentRequest;

/**
 * @param sweepId     the sweep's id in PostgreSQL
 * @param experiments one request per arm, in arm order
 */
public record SweepRequest(String sweepId, List<ExperimentRequest> experiments) {

    /** The workflow id of a sweep. */
    public static String workflowId(String sweepId) {
        return "sweep-" + sweepId;
    }
}
