package lab.d2c.workflows.experiment;

import java.util.Map;

/**
 * @param experimentId experiment id
 * @param status       SUCCEEDED, FAILED or CANCELLED
 * @param error        the first failure, or null
 * @param nodeKeys     node kind to node key of the arm's graph
 */
public record ExperimentOutcome(String experimentId, String status, String error, Map<String, String> nodeKeys) {
}
