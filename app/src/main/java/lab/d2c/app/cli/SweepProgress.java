package lab.d2c.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Set;

/**
 * Where a sweep stands, as the CLI shows it: nodes done of the nodes planned (summed over its arms,
 * from the API's sweep view), arms finished and running. Equal values mean nothing to report.
 */
record SweepProgress(String id, String status, int nodesDone, int nodesTotal, int armsDone, int arms, int running) {

    static final Set<String> TERMINAL = Set.of("SUCCEEDED", "FAILED", "CANCELLED");

    static SweepProgress of(JsonNode sweep) {
        int nodesDone = 0;
        int nodesTotal = 0;
        int armsDone = 0;
        int running = 0;
        for (JsonNode e : sweep.path("experiments")) {
            String s = e.path("status").asText();
            running += "RUNNING".equals(s) ? 1 : 0;
            armsDone += TERMINAL.contains(s) ? 1 : 0;
            nodesDone += e.path("nodes_done").asInt();
            nodesTotal += e.path("nodes_total").asInt();
        }
        return new SweepProgress(sweep.path("id").asText(), sweep.path("status").asText(), nodesDone, nodesTotal,
                armsDone, sweep.path("arm_count").asInt(), running);
    }

    boolean finished() {
        return TERMINAL.contains(status);
    }

    /** What follows the counts: arms done and running, or the final status. */
    String activity() {
        return armsDone + "/" + arms + " arms done, " + (finished() ? status : running + " running");
    }

    /** One plain line for a log: {@code 0:01:05 sweep ID RUNNING: 3/10 nodes, 1/2 arms done, 1 running}. */
    String line(Duration elapsed) {
        return hms(elapsed) + " sweep " + id + " " + status + ": " + nodesDone + "/" + nodesTotal + " nodes, " + activity();
    }

    /** h:mm:ss, as the progress bar writes its times. */
    static String hms(Duration d) {
        long s = Math.max(0, d.getSeconds());
        return String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }
}
