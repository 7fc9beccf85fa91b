package lab.d2c.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "metrics", mixinStandardHelpOptions = true,
        description = {"Print a run's metric series (a run is a node key, as 'experiment show' lists them): a table",
                "with one row per step and one column per metric, or with --csv the API's CSV (metric,step,value)."})
public final class MetricsCommand implements Callable<Integer> {

    @Parameters(paramLabel = "RUN", description = "The run: a training node's key.")
    String run;

    @Option(names = "--csv", description = "Print CSV (as GET /runs/{id}/metrics.csv): metric,step,value, one row per point.")
    boolean csv;

    @Option(names = "--name", paramLabel = "METRIC", description = "Only this metric, e.g. train/loss.")
    String name;

    @Mixin
    ApiOptions api;

    @Override
    public Integer call() {
        ApiClient client = api.reader();
        String query = name == null ? "" : "?name=" + SweepCommand.encode(name);
        String base = "/api/v1/runs/" + SweepCommand.encode(run);
        JsonNode series = client.get(base + "/metrics" + query).path("series");
        if (series.isEmpty()) {
            // the API answers an unknown run with no series; say which it is rather than print an empty table
            JsonNode node = nodeOrNull(client);
            if (node == null) {
                throw CliError.failure("no run '" + run + "': no node has that key and no metrics were recorded under it");
            }
            if (!csv) {
                System.out.println("run " + run + " (" + node.path("kind").asText() + ", " + node.path("status").asText()
                        + ") has no " + (name == null ? "metrics" : "metric '" + name + "'") + " recorded");
                return 0;
            }
        }
        if (csv) {
            System.out.print(new String(client.getBytes(base + "/metrics.csv" + query), StandardCharsets.UTF_8));
        } else {
            printTable(series, System.out);
        }
        return 0;
    }

    private JsonNode nodeOrNull(ApiClient client) {
        try {
            return client.get("/api/v1/nodes/" + SweepCommand.encode(run));
        } catch (ApiClient.ApiCallException e) {
            if (e.getMessage().startsWith("HTTP 404")) {
                return null;
            }
            throw e;
        }
    }

    /** One row per step any series has, one column per metric; '-' where a series has no point at that step. */
    static void printTable(JsonNode series, PrintStream out) {
        List<String> names = new ArrayList<>();
        TreeMap<Long, Map<String, Double>> rows = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = series.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> s = it.next();
            names.add(s.getKey());
            for (JsonNode p : s.getValue()) {
                rows.computeIfAbsent(p.path("step").asLong(), k -> new TreeMap<>()).put(s.getKey(), p.path("value").asDouble());
            }
        }
        int width = Math.max(12, names.stream().mapToInt(String::length).max().orElse(0));
        StringBuilder header = new StringBuilder(String.format("%8s", "step"));
        names.forEach(n -> header.append("  ").append(String.format("%" + width + "s", n)));
        out.println(header);
        rows.forEach((step, values) -> {
            StringBuilder line = new StringBuilder(String.format("%8d", step));
            for (String n : names) {
                Double v = values.get(n);
                line.append("  ").append(String.format("%" + width + "s", v == null ? "-" : String.format(java.util.Locale.ROOT, "%.6g", v)));
            }
            out.println(line);
        });
    }
}
