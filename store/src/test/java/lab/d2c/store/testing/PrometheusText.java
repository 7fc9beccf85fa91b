package lab.d2c.store.testing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A scrape in the Prometheus text format, parsed strictly: every line is a comment ({@code # HELP},
 * {@code # TYPE}) or {@code name{label="value",...} number}; anything else fails the parse, so a test that
 * parses a scrape checks the format, not only that some words occur in it.
 */
public final class PrometheusText {

    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{((?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\]|\\\\.)*\",?)*)})? "
                    + "(-?[0-9.eE+-]+|NaN|[+-]Inf)( -?[0-9]+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** One line's series and value. */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private final List<Sample> samples;

    private PrometheusText(List<Sample> samples) {
        this.samples = samples;
    }

    /** @throws IllegalArgumentException naming the first line that is not exposition format */
    public static PrometheusText parse(String text) {
        List<Sample> out = new java.util.ArrayList<>();
        int n = 0;
        for (String line : text.split("\n", -1)) {
            n++;
            if (line.isEmpty() || line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            if (!m.matches()) {
                throw new IllegalArgumentException("line " + n + " is not Prometheus text: " + line);
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(3) != null) {
                Matcher l = LABEL.matcher(m.group(3));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            String v = m.group(4);
            double value = v.equals("+Inf") ? Double.POSITIVE_INFINITY : v.equals("-Inf") ? Double.NEGATIVE_INFINITY
                    : Double.parseDouble(v);
            out.add(new Sample(m.group(1), Map.copyOf(labels), value));
        }
        return new PrometheusText(List.copyOf(out));
    }

    public List<Sample> samples() {
        return samples;
    }

    /** The samples of metric {@code name} (exact, suffix included). */
    public List<Sample> named(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).toList();
    }

    /** The sample of {@code name} whose labels include {@code labels} (given as key, value, key, value...). */
    public Optional<Sample> find(String name, String... labels) {
        return named(name).stream().filter(s -> {
            for (int i = 0; i + 1 < labels.length; i += 2) {
                if (!labels[i + 1].equals(s.labels().get(labels[i]))) {
                    return false;
                }
            }
            return true;
        }).findFirst();
    }

    /** {@link #find}'s value, 0 when there is no such series yet (a counter before its first increment). */
    public double value(String name, String... labels) {
        return find(name, labels).map(Sample::value).orElse(0.0);
    }
}
