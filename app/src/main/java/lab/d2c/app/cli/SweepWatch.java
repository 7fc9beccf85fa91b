package lab.d2c.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.Set;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Follows a sweep through the API with a progress bar, then prints its arms. */
final class SweepWatch {

    private static final Set<String> TERMINAL = Set.of("SUCCEEDED", "FAILED", "CANCELLED");

    private SweepWatch() {
    }

    /** Blocks until the sweep ends; returns its final JSON. */
    static JsonNode follow(ApiClient api, String sweepId, PrintStream out) throws InterruptedException {
        JsonNode sweep = api.get("/api/v1/sweeps/" + sweepId);
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("sweep " + sweepId).setInitialMax(1000)
                .setStyle(ProgressBarStyle.ASCII).setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(out))
                .setUpdateIntervalMillis(250).build()) {
            while (!TERMINAL.contains(sweep.path("status").asText())) {
                bar.stepTo(Math.round(sweep.path("progress").asDouble() * 1000));
                bar.setExtraMessage(activity(sweep));
                Thread.sleep(500);
                sweep = api.get("/api/v1/sweeps/" + sweepId);
            }
            bar.stepTo(Math.round(sweep.path("progress").asDouble() * 1000));
            bar.setExtraMessage(sweep.path("status").asText());
        }
        return sweep;
    }

    private static String activity(JsonNode sweep) {
        int running = 0;
        int done = 0;
        for (JsonNode e : sweep.path("experiments")) {
            String s = e.path("status").asText();
            running += "RUNNING".equals(s) ? 1 : 0;
            done += TERMINAL.contains(s) ? 1 : 0;
        }
        return done + "/" + sweep.path("arm_count").asInt() + " arms done, " + running + " running";
    }

    static void printSummary(JsonNode sweep, PrintStream out) {
        out.printf("sweep %s: %s (%d arms)%n", sweep.path("id").asText(), sweep.path("status").asText(),
                sweep.path("arm_count").asInt());
        if (!sweep.path("error").isNull() && !sweep.path("error").isMissingNode()) {
            out.println("  error: " + sweep.path("error").asText());
        }
        out.printf("  %-4s %-44s %-10s %6s %10s%n", "arm", "name", "status", "nodes", "cache hits");
        for (JsonNode e : sweep.path("experiments")) {
            out.printf("  %-4d %-44s %-10s %6s %10d%n", e.path("arm_index").asInt(), e.path("name").asText(),
                    e.path("status").asText(), e.path("nodes_done").asInt() + "/" + e.path("nodes_total").asInt(),
                    e.path("cache_hits").asInt());
            if (e.hasNonNull("error")) {
                out.println("       error: " + e.path("error").asText());
            }
        }
    }
}
