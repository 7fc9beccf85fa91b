package lab.d2c.api.report;

import java.util.ArrayList;
import java.util.List;

/**
 * The ablation table as aligned text for a terminal: {@code mean ± std [95% interval]} per metric
 * (one seed: the value, and for FID its bootstrap interval marked *), then the pairwise FID differences.
 */
public final class ReportTable {

    private ReportTable() {
    }

    public static String render(SweepReport report) {
        List<String> header = new ArrayList<>(List.of("arm"));
        header.addAll(report.metrics());
        List<List<String>> lines = new ArrayList<>();
        lines.add(header);
        for (SweepReport.Row row : report.rows()) {
            List<String> cells = new ArrayList<>(List.of(row.arm()));
            for (String metric : report.metrics()) {
                SweepReport.Stat s = row.values().get(metric);
                cells.add(cell(s));
            }
            lines.add(cells);
        }
        int[] widths = new int[header.size()];
        for (List<String> line : lines) {
            for (int i = 0; i < line.size(); i++) {
                widths[i] = Math.max(widths[i], line.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> line : lines) {
            for (int i = 0; i < line.size(); i++) {
                String cell = line.get(i);
                out.append(i == 0 ? String.format("%-" + widths[i] + "s", cell) : String.format("  %" + widths[i] + "s", cell));
            }
            out.append('\n');
        }
        boolean bootstrapped = report.rows().stream().flatMap(r -> r.values().values().stream())
                .anyMatch(s -> SweepReport.CI_BOOTSTRAP.equals(s.ci()));
        if (bootstrapped) {
            out.append("* one seed: the bootstrap 95% interval over its samples (sampling error only)\n");
        }
        out.append(training(report));
        if (report.comparisons() != null && !report.comparisons().isEmpty()) {
            out.append("\nFID differences (a - b, bootstrap 95% interval):\n");
            for (SweepReport.Comparison c : report.comparisons()) {
                out.append(String.format("  %s: %s - %s = %.3f", c.metric(), c.a(), c.b(), c.difference()));
                if (c.ciLow() != null) {
                    out.append(String.format(" [%.3f, %.3f]%s", c.ciLow(), c.ciHigh(),
                            Boolean.TRUE.equals(c.excludesZero()) ? " excludes 0" : " includes 0"));
                }
                out.append('\n');
            }
        }
        return out.toString();
    }

    /**
     * Each arm's generators: steps x batch, epochs, final val/loss and the convergence verdict, so unequal
     * training is in plain sight next to the scores it explains.
     */
    static String training(SweepReport report) {
        StringBuilder out = new StringBuilder();
        for (SweepReport.Row row : report.rows()) {
            if (row.training() == null) {
                continue;
            }
            row.training().forEach((kind, t) -> out.append(String.format("  %s: %s %d steps x %d (%.2f epochs), "
                    + "val/loss %s, converged %s%n", row.arm(), kind, t.steps(), t.batchSize(), t.epochs(),
                    t.finalValLoss() == null ? "-" : String.format("%.4f", t.finalValLoss()), verdict(t))));
        }
        return out.isEmpty() ? "" : "\nGenerator training (converged: val/loss improved < 2% over the last 20% of steps):\n"
                + out;
    }

    private static String verdict(SweepReport.Training t) {
        if (t.converged() == null) {
            return "not judged";
        }
        String v = (t.converged() ? "yes" : "no") + String.format(" (val/loss %+.1f%% over the last 20%%", -100 * t.improvement())
                + (t.runs() > 1 ? String.format(", %d of %d runs", t.convergedRuns(), t.judgedRuns()) : "") + ")";
        return v;
    }

    private static String cell(SweepReport.Stat s) {
        if (s == null) {
            return "-";
        }
        String value = s.n() > 1 ? String.format("%.3f ± %.3f", s.mean(), s.std()) : String.format("%.3f", s.mean());
        if (s.ciLow() == null) {
            return value;
        }
        return value + String.format(" [%.3f, %.3f]", s.ciLow(), s.ciHigh())
                + (SweepReport.CI_BOOTSTRAP.equals(s.ci()) ? "*" : "");
    }
}
