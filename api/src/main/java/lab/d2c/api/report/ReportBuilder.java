package lab.d2c.api.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** Pools the seeds of each arm into a table, and draws FID curves over the sampling settings a sweep varies. */
public final class ReportBuilder {

    /** The sampling settings whose variation gets an FID curve (paper Figure 4 and Table 5 style). */
    public static final List<String> CURVE_KEYS = List.of("stage2.sample.steps", "stage2.sample.guidance_scale");

    private static final ObjectMapper JSON = new ObjectMapper();

    private ReportBuilder() {
    }

    public static SweepReport build(String sweepId, List<ArmScores> experiments) {
        Set<String> metricNames = new TreeSet<>(Comparator.comparing(ReportBuilder::metricOrder)
                .thenComparing(Comparator.naturalOrder()));
        Map<String, List<ArmScores>> byArm = new LinkedHashMap<>();
        for (ArmScores e : experiments) {
            metricNames.addAll(e.metrics().keySet());
            byArm.computeIfAbsent(e.label(), k -> new ArrayList<>()).add(e);
        }
        List<String> metrics = List.copyOf(metricNames);
        List<SweepReport.Row> rows = new ArrayList<>();
        for (Map.Entry<String, List<ArmScores>> arm : byArm.entrySet()) {
            List<ArmScores> seeds = arm.getValue();
            Map<String, SweepReport.Stat> values = new LinkedHashMap<>();
            for (String metric : metrics) {
                List<Double> v = seeds.stream().filter(s -> s.metrics().containsKey(metric))
                        .map(s -> s.metrics().get(metric)).toList();
                if (!v.isEmpty()) {
                    values.put(metric, stat(v));
                }
            }
            int done = (int) seeds.stream().filter(s -> !s.metrics().isEmpty()).count();
            rows.add(new SweepReport.Row(arm.getKey(), plain(seeds.get(0).params()),
                    seeds.stream().map(ArmScores::seed).toList(), done, values));
        }
        return new SweepReport(sweepId, metrics, rows, curves(experiments, metrics));
    }

    private static List<SweepReport.Curve> curves(List<ArmScores> experiments, List<String> metrics) {
        List<SweepReport.Curve> curves = new ArrayList<>();
        for (String key : CURVE_KEYS) {
            Set<String> distinct = new HashSet<>();
            experiments.forEach(e -> {
                if (e.params().has(key)) {
                    distinct.add(e.params().get(key).toString());
                }
            });
            if (distinct.size() < 2) {
                continue;
            }
            for (String metric : metrics) {
                if (!metric.startsWith("fid-")) {
                    continue;
                }
                Map<String, TreeMap<Double, List<Double>>> series = new LinkedHashMap<>();
                for (ArmScores e : experiments) {
                    if (!e.params().has(key) || !e.metrics().containsKey(metric)) {
                        continue;
                    }
                    ObjectNode others = e.params().deepCopy();
                    others.remove(key);
                    series.computeIfAbsent(label(others), k -> new TreeMap<>())
                            .computeIfAbsent(e.params().get(key).asDouble(), k -> new ArrayList<>())
                            .add(e.metrics().get(metric));
                }
                Map<String, List<SweepReport.Point>> points = new LinkedHashMap<>();
                series.forEach((label, byX) -> points.put(label, byX.entrySet().stream()
                        .map(p -> new SweepReport.Point(p.getKey(), stat(p.getValue()))).toList()));
                curves.add(new SweepReport.Curve(metric, key, points));
            }
        }
        return curves;
    }

    /** {@code k=v/k=v} of the parameters (the arms-list name first), or {@code all} when there are none. */
    public static String label(ObjectNode params) {
        List<String> parts = new ArrayList<>();
        JsonNode arm = params.get("arm");
        if (arm != null) {
            parts.add(arm.asText());
        }
        params.properties().forEach(p -> {
            if (!p.getKey().equals("arm")) {
                parts.add(p.getKey() + "=" + (p.getValue().isTextual() ? p.getValue().asText() : p.getValue().toString()));
            }
        });
        return parts.isEmpty() ? "all" : String.join("/", parts);
    }

    static SweepReport.Stat stat(List<Double> values) {
        double mean = values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        double ss = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
        double std = values.size() > 1 ? Math.sqrt(ss / (values.size() - 1)) : 0.0;
        return new SweepReport.Stat(mean, std, values.size());
    }

    private static int metricOrder(String metric) {
        String[] order = {"fid-", "is-", "is_std-", "precision-", "recall-"};
        for (int i = 0; i < order.length; i++) {
            if (metric.startsWith(order[i])) {
                return i;
            }
        }
        return order.length;
    }

    private static Map<String, Object> plain(ObjectNode params) {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = JSON.convertValue(params, LinkedHashMap.class);
        return m;
    }
}
