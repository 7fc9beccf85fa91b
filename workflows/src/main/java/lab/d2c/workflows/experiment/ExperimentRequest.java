package lab.d2c.workflows.experiment;

/**
 * @param experimentId the experiment's id in PostgreSQL
 * @param configJson   the arm's full config (a few KB at most)
 */
public record ExperimentRequest(String experimentId, String configJson) {

    /** The workflow id of an experiment. */
    public static String workflowId(String experimentId) {
        return "experiment-" + experimentId;
    }
}
