package lab.d2c.api.http;

import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import lab.d2c.store.db.ExperimentQuery;
import lab.d2c.store.db.Status;

/**
 * The query string of {@code GET /experiments} (and the filters {@code GET /sweeps} shares) as an
 * {@link ExperimentQuery}. A parameter it does not know, or a value it cannot read, is a 400 naming the parameter:
 * a typo ({@code tags=}) must not silently return everything.
 */
final class FindQuery {

    static final String PARAMS_PREFIX = "params.";
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");
    private static final Pattern PARAM_KEY = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,199}");
    /** A metric name as nodes write them: {@code fid-fmnist-cls}, {@code train/loss}. */
    private static final Pattern METRIC = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._:/-]{0,99}");
    private static final Pattern CONDITION = Pattern.compile("([^<>=]+)(<=|>=|<|>|=)(.*)", Pattern.DOTALL);
    private static final List<String> KNOWN = List.of("sweep", "status", "tag", "metric", "sort", "limit", "offset");

    private FindQuery() {
    }

    static ExperimentQuery parse(Context ctx) {
        ExperimentQuery.Builder q = ExperimentQuery.builder();
        List<Map<String, String>> errors = new ArrayList<>();
        for (Map.Entry<String, List<String>> p : ctx.queryParamMap().entrySet()) {
            String name = p.getKey();
            if (!KNOWN.contains(name) && !name.startsWith(PARAMS_PREFIX)) {
                errors.add(field(name, "unknown filter; expected one of " + String.join(", ", KNOWN) + " or params.<key>"));
            }
        }
        List<String> sweep = ctx.queryParams("sweep");
        if (sweep.size() > 1) {
            errors.add(field("sweep", "give one sweep"));
        } else if (sweep.size() == 1) {
            if (ID.matcher(sweep.get(0)).matches()) {
                q.optSweep(sweep.get(0));
            } else {
                errors.add(field("sweep", "expected a sweep id"));
            }
        }
        statuses(ctx, errors).forEach(q::addStatus);
        tags(ctx, errors).forEach(q::addTag);
        for (Map.Entry<String, List<String>> p : ctx.queryParamMap().entrySet()) {
            if (!p.getKey().startsWith(PARAMS_PREFIX)) {
                continue;
            }
            String key = p.getKey().substring(PARAMS_PREFIX.length());
            if (!PARAM_KEY.matcher(key).matches()) {
                errors.add(field(p.getKey(), "expected params.<dotted key> (letters, digits, '.', '_', '-')"));
            } else if (p.getValue().size() != 1 || p.getValue().get(0).length() > 1000) {
                errors.add(field(p.getKey(), "give one value of at most 1000 characters"));
            } else {
                q.setParam(key, p.getValue().get(0));
            }
        }
        for (String m : ctx.queryParams("metric")) {
            ExperimentQuery.MetricCondition c = condition(m);
            if (c == null) {
                errors.add(field("metric", "expected <metric><op><number> with op one of < <= > >= =, e.g."
                        + " fid-fmnist-cls<100; got '" + abbreviate(m) + "'"));
            } else {
                q.addMetric(c);
            }
        }
        List<String> sort = ctx.queryParams("sort");
        if (sort.size() > 1) {
            errors.add(field("sort", "give one sort"));
        } else if (sort.size() == 1) {
            String s = sort.get(0);
            boolean desc = s.startsWith("-");
            String metric = desc ? s.substring(1) : s;
            if (METRIC.matcher(metric).matches()) {
                q.optSort(metric, desc);
            } else {
                errors.add(field("sort", "expected <metric> (ascending) or -<metric> (descending)"));
            }
        }
        int limit = intParam(ctx, "limit", 50, 1, 500, errors);
        int offset = intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE, errors);
        q.setPage(limit, offset);
        if (!errors.isEmpty()) {
            throw invalid(errors);
        }
        return q.build();
    }

    /** {@code status=} (repeatable: any of them); errors go to {@code errors}. */
    static List<Status> statuses(Context ctx, List<Map<String, String>> errors) {
        List<Status> out = new ArrayList<>();
        for (String s : ctx.queryParams("status")) {
            try {
                out.add(Status.valueOf(s.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                errors.add(field("status", "expected one of PENDING, RUNNING, SUCCEEDED, FAILED, CANCELLED; got '"
                        + abbreviate(s) + "'"));
            }
        }
        return out;
    }

    /** {@code tag=} (repeatable: all of them). */
    static List<String> tags(Context ctx, List<Map<String, String>> errors) {
        List<String> out = new ArrayList<>();
        for (String t : ctx.queryParams("tag")) {
            String reason = Annotations.tagProblem(t);
            if (reason == null) {
                out.add(t);
            } else {
                errors.add(field("tag", reason));
            }
        }
        return out;
    }

    static ExperimentQuery.MetricCondition condition(String text) {
        Matcher m = CONDITION.matcher(text);
        if (!m.matches() || !METRIC.matcher(m.group(1).trim()).matches()) {
            return null;
        }
        double value;
        try {
            value = Double.parseDouble(m.group(3).trim());
        } catch (NumberFormatException e) {
            return null;
        }
        if (!Double.isFinite(value)) {
            return null;
        }
        ExperimentQuery.Comparison op = switch (m.group(2)) {
            case "<" -> ExperimentQuery.Comparison.LT;
            case "<=" -> ExperimentQuery.Comparison.LE;
            case ">" -> ExperimentQuery.Comparison.GT;
            case ">=" -> ExperimentQuery.Comparison.GE;
            default -> ExperimentQuery.Comparison.EQ;
        };
        return new ExperimentQuery.MetricCondition(m.group(1).trim(), op, value);
    }

    static int intParam(Context ctx, String name, int dflt, int min, int max, List<Map<String, String>> errors) {
        String v = ctx.queryParam(name);
        if (v == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        errors.add(field(name, "expected an integer in [" + min + ", " + max + "]"));
        return dflt;
    }

    static ApiError invalid(List<Map<String, String>> fields) {
        return new ApiError(400, "bad_request", "query parameter '" + fields.get(0).get("path") + "': "
                + fields.get(0).get("reason") + (fields.size() > 1 ? " (and " + (fields.size() - 1) + " more)" : ""),
                fields);
    }

    private static Map<String, String> field(String path, String reason) {
        return Map.of("path", path, "reason", reason);
    }

    private static String abbreviate(String s) {
        String clean = s.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 60 ? clean.substring(0, 60) + "..." : clean;
    }
}
