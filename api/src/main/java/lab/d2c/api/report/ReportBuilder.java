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

/**
 * Pools the seeds of each arm into a table (mean, std, 95% interval), draws FID curves over the sampling
 * settings a sweep varies, and differences the FID of the pairs of arms the paper compares.
 */
public final class ReportBuilder {

    /** The sampling settings whose variation gets an FID curve (paper Figure 4 and Table 5 style). */
    public static final List<String> CURVE_KEYS = List.of("stage2.sample.steps", "stage2.sample.guidance_scale");

    /** Params that say which family an arm is; rows compared must agree on every other param. */
    static final Set<String> FAMILY_KEYS = Set.of(lab.d2c.workflows.spec.SweepSpec.ARM_PARAM, "stage2.fusion", "eval.images", "generator");

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
                List<ArmScores> scored = seeds.stream().filter(s -> s.metrics().containsKey(metric)).toList();
                List<Double> v = scored.stream().map(s -> s.metrics().get(metric)).toList();
                if (!v.isEmpty()) {
                    values.put(metric, v.size() == 1 ? oneSeed(metric, scored.get(0)) : stat(v));
                }
            }
            int done = (int) seeds.stream().filter(s -> !s.metrics().isEmpty()).count();
            rows.add(new SweepReport.Row(arm.getKey(), plain(seeds.get(0).params()),
                    seeds.stream().map(ArmScores::seed).toList(), done, values, seeds.get(0).family(), training(seeds)));
        }
        return new SweepReport(sweepId, metrics, rows, curves(experiments, metrics),
                comparisons(rows, byArm, metrics));
    }

    /** Per trainer kind, its distinct runs over the seeds (by node key) pooled into one {@link SweepReport.Training}. */
    static Map<String, SweepReport.Training> training(List<ArmScores> seeds) {
        Map<String, SweepReport.Training> out = new LinkedHashMap<>();
        for (String kind : SweepReport.GENERATORS) {
            Map<String, GeneratorBudget> runs = new LinkedHashMap<>();
            for (ArmScores s : seeds) {
                GeneratorBudget b = s.training() == null ? null : s.training().get(kind);
                if (b != null) {
                    runs.putIfAbsent(b.node(), b);
                }
            }
            if (runs.isEmpty()) {
                continue;
            }
            List<GeneratorBudget> all = List.copyOf(runs.values());
            GeneratorBudget first = all.get(0);
            List<GeneratorBudget> judged = all.stream().filter(b -> b.converged() != null).toList();
            int converged = (int) judged.stream().filter(GeneratorBudget::converged).count();
            out.put(kind, new SweepReport.Training(all.size(), first.steps(), first.batchSize(), first.itemsSeen(),
                    first.epochs(), judged.isEmpty() ? null : converged == judged.size(), converged, judged.size(),
                    mean(all.stream().map(GeneratorBudget::finalValLoss).toList()),
                    mean(judged.stream().map(GeneratorBudget::improvement).toList()), first.stepCap()));
        }
        return out;
    }

    private static Double mean(List<Double> values) {
        List<Double> known = values.stream().filter(java.util.Objects::nonNull).toList();
        return known.isEmpty() ? null : known.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }

    /**
     * One seed has no spread to make a t interval from; an FID shows its bootstrap interval over the
     * samples instead (its sampling error only), when the evaluate node computed one.
     */
    private static SweepReport.Stat oneSeed(String metric, ArmScores seed) {
        double value = seed.metrics().get(metric);
        if (metric.startsWith("fid-")) {
            String extractor = metric.substring("fid-".length());
            Double low = seed.metrics().get("fid_ci_low-" + extractor);
            Double high = seed.metrics().get("fid_ci_high-" + extractor);
            if (low != null && high != null) {
                return new SweepReport.Stat(value, 0.0, 1, low, high, SweepReport.CI_BOOTSTRAP);
            }
        }
        return new SweepReport.Stat(value, 0.0, 1);
    }

    /**
     * For each pair in {@link ArmFamily#PAIRS}, every row of the first family against every row of the
     * second that agrees with it on all params but the family's own, per FID metric both have.
     */
    private static List<SweepReport.Comparison> comparisons(List<SweepReport.Row> rows,
            Map<String, List<ArmScores>> byArm, List<String> metrics) {
        List<SweepReport.Comparison> out = new ArrayList<>();
        for (List<String> pair : ArmFamily.PAIRS) {
            for (SweepReport.Row a : rows) {
                if (!pair.get(0).equals(a.family())) {
                    continue;
                }
                for (SweepReport.Row b : rows) {
                    if (!pair.get(1).equals(b.family()) || !context(a).equals(context(b))) {
                        continue;
                    }
                    for (String metric : metrics) {
                        SweepReport.Stat sa = a.values().get(metric);
                        SweepReport.Stat sb = b.values().get(metric);
                        if (!metric.startsWith("fid-") || sa == null || sb == null) {
                            continue;
                        }
                        double[] ra = pooled(byArm.get(a.arm()), metric);
                        double[] rb = pooled(byArm.get(b.arm()), metric);
                        double[] ci = ra == null || rb == null || Math.min(ra.length, rb.length) < 2 ? null
                                : FidDifference.interval(sa.mean() - sb.mean(), ra, rb);
                        out.add(new SweepReport.Comparison(metric, a.arm(), b.arm(), a.family(), b.family(),
                                sa.mean() - sb.mean(), ci == null ? null : ci[0], ci == null ? null : ci[1],
                                ci == null ? null : ci[0] > 0 || ci[1] < 0,
                                ci == null ? 0 : Math.min(ra.length, rb.length)));
                    }
                }
            }
        }
        return out;
    }

    /** Replicate b averaged over the seeds that scored the metric; null when any of them has none. */
    private static double[] pooled(List<ArmScores> seeds, String metric) {
        List<double[]> arrays = new ArrayList<>();
        for (ArmScores s : seeds) {
            if (!s.metrics().containsKey(metric)) {
                continue;
            }
            double[] r = s.replicates() == null ? null : s.replicates().get(metric);
            if (r == null) {
                return null;
            }
            arrays.add(r);
        }
        return FidDifference.pool(arrays);
    }

    private static Map<String, Object> context(SweepReport.Row row) {
        Map<String, Object> c = new TreeMap<>(row.params());
        c.keySet().removeAll(FAMILY_KEYS);
        return c;
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

    /** Mean, sample std and, with n >= 2, the Student-t 95% interval of the mean (n - 1 degrees of freedom). */
    static SweepReport.Stat stat(List<Double> values) {
        int n = values.size();
        double mean = values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        double ss = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
        if (n < 2) {
            return new SweepReport.Stat(mean, 0.0, n);
        }
        double std = Math.sqrt(ss / (n - 1));
        double half = StudentT.quantile975(n - 1) * std / Math.sqrt(n);
        return new SweepReport.Stat(mean, std, n, mean - half, mean + half, SweepReport.CI_STUDENT_T);
    }

    private static int metricOrder(String metric) {
        String[] order = {"fid-", "fid_std_boot-", "fid_ci_low-", "fid_ci_high-", "is-", "is_std-", "precision-",
            "recall-"};
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
