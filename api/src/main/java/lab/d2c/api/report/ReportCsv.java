package lab.d2c.api.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The ablation table as CSV: {@code arm, seeds, done}, then {@code <metric>_mean, <metric>_std,
 * <metric>_n} per metric; empty cells where an arm has no score yet.
 */
public final class ReportCsv {

    private static final CsvMapper CSV = new CsvMapper();

    private ReportCsv() {
    }

    public static String render(SweepReport report) {
        CsvSchema.Builder schema = CsvSchema.builder().addColumn("arm").addColumn("seeds").addColumn("done");
        for (String metric : report.metrics()) {
            schema.addColumn(metric + "_mean").addColumn(metric + "_std").addColumn(metric + "_n");
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
            }
            rows.add(cells);
        }
        try {
            return CSV.writer(schema.build().withHeader()).writeValueAsString(rows);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the report as CSV", e);
        }
    }
}
