package lab.d2c.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Follows a sweep through the API, then prints its arms. Progress goes to stderr (stdout keeps
 * what scripts read): a bar on a terminal, one plain line per change otherwise, so a log file
 * gets readable lines instead of carriage-return redraws.
 */
final class SweepWatch {

    private static final long POLL_MS = 500;

    private SweepWatch() {
    }

    /** Shows successive states of a sweep. */
    interface Display extends AutoCloseable {
        void show(SweepProgress p);

        @Override
        void close();
    }

    /** Blocks until the sweep ends; returns its final JSON. */
    static JsonNode follow(ApiClient api, String sweepId) throws InterruptedException {
        JsonNode first = api.get("/api/v1/sweeps/" + sweepId);
        try (Display d = Terminal.stderrIsTerminal() ? bar(sweepId, System.err)
                : plain(System.err, System::currentTimeMillis)) {
            return watch(first, () -> api.get("/api/v1/sweeps/" + sweepId), d, POLL_MS);
        }
    }

    /** Shows {@code first} and each next view until one is finished; returns that one. */
    static JsonNode watch(JsonNode first, Supplier<JsonNode> next, Display display, long pollMs)
            throws InterruptedException {
        JsonNode sweep = first;
        SweepProgress p = SweepProgress.of(sweep);
        display.show(p);
        while (!p.finished()) {
            Thread.sleep(pollMs);
            sweep = next.get();
            p = SweepProgress.of(sweep);
            display.show(p);
        }
        return sweep;
    }

    /** One line per change of the counts or status; elapsed time from the first view. */
    static Display plain(PrintStream out, LongSupplier millis) {
        long start = millis.getAsLong();
        return new Display() {
            private SweepProgress last;

            @Override
            public void show(SweepProgress p) {
                if (!p.equals(last)) {
                    out.println(p.line(Duration.ofMillis(millis.getAsLong() - start)));
                    last = p;
                }
            }

            @Override
            public void close() {
                out.flush();
            }
        };
    }

    /** me.tongfei's bar, counting nodes; its own times read h:mm:ss. */
    static Display bar(String sweepId, PrintStream out) {
        ProgressBar bar = new ProgressBarBuilder().setTaskName("sweep " + sweepId).setInitialMax(-1)
                .setUnit(" nodes", 1).setStyle(ProgressBarStyle.ASCII).setConsumer(new ConsoleProgressBarConsumer(out))
                .setUpdateIntervalMillis(250).build();
        return new Display() {
            @Override
            public void show(SweepProgress p) {
                if (p.nodesTotal() > 0) {
                    bar.maxHint(p.nodesTotal());
                }
                bar.stepTo(p.nodesDone());
                bar.setExtraMessage(p.activity());
            }

            @Override
            public void close() {
                bar.close();
            }
        };
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
