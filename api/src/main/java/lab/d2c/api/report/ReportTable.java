package lab.d2c.api.report;

import java.util.ArrayList;
import java.util.List;

/** The ablation table as aligned text for a terminal: {@code mean ± std (n)} per metric. */
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
                cells.add(s == null ? "-" : s.n() > 1 ? String.format("%.3f ± %.3f", s.mean(), s.std())
                        : String.format("%.3f", s.mean()));
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
        return out.toString();
    }
}
