package lab.d2c.api.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The ablation table as CSV: {@code arm, seeds, done}, then {@code <metric>_mean, <metric>_std,
 * <metric>_n, <metric>_ci_low, <metric>_ci_high, <metric>_ci} per metric (the 95% interval and how it
 * was made: student-t, bootstrap or none), then {@code family}, then per generator trainer of
 * {@link SweepReport#GENERATORS} {@code <kind>_steps, <kind>_epochs, <kind>_converged, <kind>_val_loss} (its
 * budget and convergence; appended last so earlier header prefixes hold); empty cells where an arm has no score
 * yet. And the pairwise
 * comparisons as their own CSV ({@link #renderComparisons}).
 */
public final class ReportCsv {

    private static final CsvMapper CSV = new CsvMapper();

    private ReportCsv() {
    }

    public static String render(SweepReport report) {
        CsvSchema.Builder schema = CsvSchema.builder().addColumn("arm").addColumn("seeds").addColumn("done");
        for (String metric : report.metrics()) {
            schema.addColumn(metric + "_mean").addColumn(metric + "_std").addColumn(metric + "_n")
                    .addColumn(metric + "_ci_low").addColumn(metric + "_ci_high").addColumn(metric + "_ci");
        }
        schema.addColumn("family");
        for (String kind : SweepReport.GENERATORS) {
            schema.addColumn(kind + "_steps").addColumn(kind + "_epochs").addColumn(kind + "_converged")
                    .addColumn(kind + "_val_loss");
        }
        List<List<Object>> rows = new ArrayList<>();
        for (SweepReport.Row row : report.rows()) {
            List<Object> cells = new ArrayList<>();
            cells.add(row.arm());
            cells.add(row.seeds().stream().map(String::valueOf).collect(Collectors.joining(" ")));
            cells.add(row.done());
            for (String metric : report.metrics()) {
                SweepReport.Stat s = row.values().get(metric);
                cells.add(s == null ? "" : s.mean());
                cells.add(s == null ? "" : s.std());
                cells.add(s == null ? "" : s.n());
                cells.add(s == null || s.ciLow() == null ? "" : s.ciLow());
                cells.add(s == null || s.ciHigh() == null ? "" : s.ciHigh());
                cells.add(s == null ? "" : s.ci());
            }
            cells.add(row.family() == null ? "" : row.family());
            for (String kind : SweepReport.GENERATORS) {
                SweepReport.Training t = row.training() == null ? null : row.training().get(kind);
                cells.add(t == null ? "" : t.steps());
                cells.add(t == null ? "" : t.epochs());
                cells.add(t == null || t.converged() == null ? "" : t.converged());
                cells.add(t == null || t.finalValLoss() == null ? "" : t.finalValLoss());
            }
            rows.add(cells);
        }
        return write(schema, rows);
    }

    /**
     * {@code metric, a, b, family_a, family_b, difference, ci_low, ci_high, excludes_zero, replicates}:
     * FID(a) - FID(b) per compared pair; empty interval cells without bootstrap replicates.
     */
    public static String renderComparisons(SweepReport report) {
        CsvSchema.Builder schema = CsvSchema.builder();
        for (String c : List.of("metric", "a", "b", "family_a", "family_b", "difference", "ci_low", "ci_high",
                "excludes_zero", "replicates")) {
            schema.addColumn(c);
        }
        List<List<Object>> rows = new ArrayList<>();
        for (SweepReport.Comparison c : report.comparisons()) {
            rows.add(java.util.Arrays.asList(c.metric(), c.a(), c.b(), c.familyA(), c.familyB(), c.difference(),
                    c.ciLow() == null ? "" : c.ciLow(), c.ciHigh() == null ? "" : c.ciHigh(),
                    c.excludesZero() == null ? "" : c.excludesZero(), c.replicates()));
        }
        return write(schema, rows);
    }

    private static String write(CsvSchema.Builder schema, List<List<Object>> rows) {
        try {
            return CSV.writer(schema.build().withHeader()).writeValueAsString(rows);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the report as CSV", e);
        }
    }
}
