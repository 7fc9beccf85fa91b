package lab.d2c.store.db;

import java.util.Objects;

/** One value of a scalar series: run (a training node's key), metric name, step. */
public record MetricPoint(String runId, String name, long step, double value) {

    public MetricPoint {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(name, "name");
        if (runId.isEmpty() || name.isEmpty()) {
            throw new IllegalArgumentException("metric point: runId and name must not be empty (runId='" + runId
                    + "', name='" + name + "')");
        }
        if (step < 0) {
            throw new IllegalArgumentException("metric '" + name + "' of run '" + runId + "': step must be >= 0, got "
                    + step);
        }
    }
}
