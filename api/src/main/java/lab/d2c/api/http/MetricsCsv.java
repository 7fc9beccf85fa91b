package lab.d2c.api.http;

import java.util.List;
import java.util.Map;
import lab.d2c.store.db.MetricPoint;

/**
 * A run's metric series as CSV in long form, {@code metric,step,value}, one row per point, series by name
 * and points by step: one shape whatever the metrics are, so pandas, R or a spreadsheet pivot it as they
 * like. Values keep Java's shortest round-trip form (no rounding).
 */
final class MetricsCsv {

    static final String HEADER = "metric,step,value";

    private MetricsCsv() {
    }

    static String render(Map<String, List<MetricPoint>> series) {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        series.forEach((name, points) -> {
            String cell = cell(name);
            for (MetricPoint p : points) {
                sb.append(cell).append(',').append(p.step()).append(',').append(p.value()).append('\n');
            }
        });
        return sb.toString();
    }

    /** RFC 4180 quoting, needed only when a name carries a comma, a quote or a line break. */
    private static String cell(String s) {
        return s.matches("[^,\"\r\n]*") ? s : "\"" + s.replace("\"", "\"\"") + "\"";
    }
}
