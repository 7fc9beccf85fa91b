package lab.d2c.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "experiment", mixinStandardHelpOptions = true,
        description = "Show, cancel and resume one experiment (an arm and seed of a sweep) through the API.",
        subcommands = {ExperimentCommand.Show.class, ExperimentCommand.Cancel.class, ExperimentCommand.Resume.class})
public final class ExperimentCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    private static String path(String id) {
        return "/api/v1/experiments/" + SweepCommand.encode(id);
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Print an experiment: status, tags, params, the metrics its evaluate nodes scored, and its"
                    + " lineage (every node with its inputs and artifact keys).")
    static final class Show implements Callable<Integer> {

        @Parameters(paramLabel = "ID", description = "The experiment id.")
        String id;

        @Option(names = "--json", description = "Print the API's JSON (every field of every node) instead.")
        boolean json;

        @Mixin
        ApiOptions api;

        @Override
        public Integer call() {
            JsonNode e = api.reader().get(path(id));
            if (json) {
                System.out.println(e.toPrettyString());
            } else {
                print(e, System.out);
            }
            return 0;
        }
    }

    /** The text form of GET /experiments/{id}. */
    static void print(JsonNode e, PrintStream out) {
        out.printf("experiment %s: %s%n", e.path("id").asText(), e.path("status").asText());
        out.printf("  sweep %s, arm %d (%s), seed %d%n", e.path("sweep_id").asText(), e.path("arm_index").asInt(),
                e.path("name").asText(""), e.path("seed").asLong());
        out.printf("  nodes %d/%d done, %d from the cache%n", e.path("nodes_done").asInt(), e.path("nodes_total").asInt(),
                e.path("cache_hits").asInt());
        if (e.hasNonNull("error")) {
            out.println("  error: " + e.path("error").asText());
        }
        List<String> tags = new ArrayList<>();
        e.path("tags").forEach(t -> tags.add(t.asText()));
        if (!tags.isEmpty()) {
            out.println("  tags: " + String.join(", ", tags));
        }
        if (!e.path("note").asText().isEmpty()) {
            out.println("  note: " + e.path("note").asText().replace("\n", "\n        "));
        }
        out.println("params");
        for (Iterator<Map.Entry<String, JsonNode>> it = e.path("params").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> p = it.next();
            out.println("  " + p.getKey() + " = " + (p.getValue().isTextual() ? p.getValue().asText() : p.getValue()));
        }
        out.println("metrics");
        int scored = 0;
        for (JsonNode n : e.path("nodes")) {
            for (Iterator<Map.Entry<String, JsonNode>> it = n.path("result").path("metrics").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> m = it.next();
                out.printf("  %-28s %12s   (%s %s)%n", m.getKey(), m.getValue().isNumber()
                        ? String.format(java.util.Locale.ROOT, "%.4f", m.getValue().asDouble()) : m.getValue().asText(), n.path("kind").asText(),
                        n.path("key").asText());
                scored++;
            }
        }
        if (scored == 0) {
            out.println("  (none scored yet)");
        }
        out.println("lineage");
        for (JsonNode n : e.path("nodes")) {
            out.printf("  %-18s %-10s %s%s%n", n.path("kind").asText(), n.path("status").asText(), n.path("key").asText(),
                    n.path("cache_hit").asBoolean() ? "  (cache hit)" : "");
            keys(n.path("input_keys"), "in ", out);
            keys(n.path("artifact_keys"), "out", out);
        }
    }

    private static void keys(JsonNode map, String label, PrintStream out) {
        for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> k = it.next();
            out.println("      " + label + " " + k.getKey() + ": " + k.getValue().asText());
        }
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true,
            description = "Cancel one arm; nodes it shares with running arms go on.")
    static final class Cancel extends Actions {

        @Override
        String path(String encodedId) {
            return "/api/v1/experiments/" + encodedId + "/cancel";
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true,
            description = "Run a FAILED or CANCELLED arm again: finished nodes from the cache, the rest from checkpoints.")
    static final class Resume extends Actions {

        @Override
        String path(String encodedId) {
            return "/api/v1/experiments/" + encodedId + "/resume";
        }
    }
}
