package lab.d2c.store.db;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link ExperimentSearch} finds: experiments across sweeps that match every condition given, in an order,
 * one page of them. Build with {@link #builder()}.
 *
 * @param sweepId    only this sweep's arms (null: every sweep)
 * @param statuses   any of these (empty: any status)
 * @param tags       all of these
 * @param params     params key to value, each must match ({@link ExperimentSearch} says how values compare)
 * @param metrics    thresholds on final metric values, each must hold (an arm without the metric fails them)
 * @param sortMetric order by this metric's final value (null: newest first); arms without it come last
 */
public record ExperimentQuery(String sweepId, List<Status> statuses, List<String> tags, Map<String, String> params,
        List<MetricCondition> metrics, String sortMetric, boolean descending, int limit, int offset) {

    public ExperimentQuery {
        statuses = List.copyOf(statuses);
        tags = List.copyOf(tags);
        params = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
        metrics = List.copyOf(metrics);
        if (limit < 0 || offset < 0) {
            throw new IllegalArgumentException("limit/offset: must be >= 0, got " + limit + "/" + offset);
        }
    }

    /** A comparison of a metric's final value with a number. */
    public enum Comparison {
        LT("<"), LE("<="), GT(">"), GE(">="), EQ("=");

        private final String symbol;

        Comparison(String symbol) {
            this.symbol = symbol;
        }

        /** The operator as written in a filter and in SQL. */
        public String symbol() {
            return symbol;
        }
    }

    /** {@code metric op value}, e.g. {@code fid-fmnist-cls < 100}. */
    public record MetricCondition(String metric, Comparison op, double value) {
        public MetricCondition {
            Objects.requireNonNull(metric, "metric");
            Objects.requireNonNull(op, "op");
            if (!Double.isFinite(value)) {
                throw new IllegalArgumentException("value: must be finite, got " + value);
            }
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Collects the conditions of a find request. */
    public static final class Builder {
        private String sweepId;
        private final List<Status> statuses = new ArrayList<>();
        private final List<String> tags = new ArrayList<>();
        private final Map<String, String> params = new LinkedHashMap<>();
        private final List<MetricCondition> metrics = new ArrayList<>();
        private String sortMetric;
        private boolean descending;
        private int limit = 50;
        private int offset;

        private Builder() {
        }

        public Builder optSweep(String id) {
            this.sweepId = id;
            return this;
        }

        public Builder addStatus(Status status) {
            statuses.add(Objects.requireNonNull(status, "status"));
            return this;
        }

        public Builder addTag(String tag) {
            tags.add(Objects.requireNonNull(tag, "tag"));
            return this;
        }

        public Builder setParam(String key, String value) {
            params.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        public Builder addMetric(MetricCondition condition) {
            metrics.add(Objects.requireNonNull(condition, "condition"));
            return this;
        }

        /** Orders by a metric's final value, ascending or descending (null: newest first). */
        public Builder optSort(String metric, boolean descending) {
            this.sortMetric = metric;
            this.descending = descending;
            return this;
        }

        public Builder setPage(int limit, int offset) {
            this.limit = limit;
            this.offset = offset;
            return this;
        }

        public ExperimentQuery build() {
            return new ExperimentQuery(sweepId, statuses, tags, params, metrics, sortMetric, descending, limit, offset);
        }
    }
}
