package lab.d2c.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * The steering commands (sweep cancel and rerun-failed, experiment cancel and resume): one POST with the
 * token, one line saying what the server did. A subclass names only its route.
 */
abstract class Actions implements Callable<Integer> {

    @Parameters(paramLabel = "ID", description = "The ${PARENT-COMMAND-NAME} id.")
    String id;

    @Mixin
    ApiOptions api;

    @Mixin
    TokenOptions auth;

    /** The action's route for {@code id}, e.g. {@code /api/v1/sweeps/ID/cancel}. */
    abstract String path(String encodedId);

    @Override
    public final Integer call() {
        return run(api.writer(auth), path(SweepCommand.encode(id)), System.out);
    }

    /** POSTs the action and prints the server's outcome; an API error (404, 409, 401) leaves as one line, exit 1. */
    static int run(ApiClient client, String path, PrintStream out) {
        out.println(describe(client.post(path)));
        return 0;
    }

    /** {@code cancel smoke-1: arms smoke-1-a0, smoke-1-a1; 3 node(s) stopped}. */
    static String describe(JsonNode outcome) {
        List<String> arms = new ArrayList<>();
        outcome.path("experiments").forEach(e -> arms.add(e.asText()));
        String line = outcome.path("action").asText() + " " + outcome.path("target").asText() + ": "
                + (arms.isEmpty() ? "no arms" : (arms.size() == 1 ? "arm " : "arms ") + String.join(", ", arms));
        int stopped = outcome.path("nodes_cancelled").size();
        return stopped > 0 ? line + "; " + stopped + " node(s) stopped" : line;
    }
}
