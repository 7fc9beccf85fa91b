package lab.d2c.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import lab.d2c.api.sweep.PlannedNodes;
import lab.d2c.store.db.ExperimentRecord;
import lab.d2c.store.db.LinkedNode;
import lab.d2c.store.db.NodeRecord;
import lab.d2c.store.db.Status;
import lab.d2c.store.db.SweepRecord;

/** JSON views of the stored records, with progress derived from node states. */
final class Views {

    private Views() {
    }

    static JsonNode parse(String json) {
        if (json == null) {
            return ApiServer.JSON.nullNode();
        }
        try {
            return ApiServer.JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode sweepSummary(SweepRecord s) {
        ObjectNode o = ApiServer.JSON.createObjectNode();
        o.put("id", s.id());
        o.put("name", s.name());
        o.put("status", s.status().name());
        o.put("arm_count", s.armCount());
        o.put("error", s.error());
        o.put("created_at", String.valueOf(s.createdAt()));
        o.put("finished_at", s.finishedAt() == null ? null : s.finishedAt().toString());
        annotations(o, s.tags(), s.note());
        return o;
    }

    /** {@code tags} (an array, maybe empty) and {@code note} (a string, maybe empty). */
    static void annotations(ObjectNode o, List<String> tags, String note) {
        ArrayNode t = o.putArray("tags");
        tags.forEach(t::add);
        o.put("note", note);
    }

    /**
     * An experiment as the find route lists it: no nodes, no config (nothing planned or joined per arm),
     * with the final values of the metrics the request filtered or sorted by (null: the arm has none yet).
     */
    static ObjectNode experimentMatch(ExperimentRecord e, Map<String, Double> metrics) {
        ObjectNode o = experimentFields(e);
        ObjectNode m = o.putObject("metrics");
        metrics.forEach(m::put);
        return o;
    }

    private static ObjectNode experimentFields(ExperimentRecord e) {
        ObjectNode o = ApiServer.JSON.createObjectNode();
        o.put("id", e.id());
        o.put("sweep_id", e.sweepId());
        o.put("arm_index", e.armIndex());
        o.put("name", e.name());
        o.put("seed", e.seed());
        o.set("params", parse(e.paramsJson()));
        o.put("status", e.status().name());
        o.put("error", e.error());
        o.put("created_at", e.createdAt() == null ? null : e.createdAt().toString());
        o.put("started_at", e.startedAt() == null ? null : e.startedAt().toString());
        o.put("finished_at", e.finishedAt() == null ? null : e.finishedAt().toString());
        annotations(o, e.tags(), e.note());
        return o;
    }

    /** A sweep with its arms; {@code progress} is the mean progress of its arms. */
    static ObjectNode sweep(SweepRecord s, List<ObjectNode> experiments) {
        ObjectNode o = sweepSummary(s);
        ArrayNode arr = o.putArray("experiments");
        double sum = 0;
        for (ObjectNode e : experiments) {
            arr.add(e);
            sum += e.path("progress").asDouble();
        }
        o.put("progress", s.status() == Status.SUCCEEDED ? 1.0 : experiments.isEmpty() ? 0 : sum / experiments.size());
        o.set("spec", parse(s.specJson()));
        return o;
    }

    /**
     * An experiment with its nodes. Progress counts every node of the arm's planned graph,
     * including those not yet reached: succeeded nodes count 1, running ones their progress.
     *
     * @param withDetails true: the config and every field of each node (GET /experiments/{id}); false:
     *     each node with what a sweep's page draws ({@link #nodeSummary}), no config
     */
    static ObjectNode experiment(ExperimentRecord e, List<LinkedNode> nodes, boolean withDetails) {
        ObjectNode o = experimentFields(e);
        int total = PlannedNodes.count(e);
        double done = 0;
        int finished = 0;
        int hits = 0;
        for (LinkedNode n : nodes) {
            if (n.node().status() == Status.SUCCEEDED) {
                done += 1;
                finished++;
            } else if (n.node().status() == Status.RUNNING && n.node().progress() != null) {
                done += n.node().progress();
            }
            hits += n.cacheHit() ? 1 : 0;
        }
        o.put("nodes_total", total);
        o.put("nodes_done", finished);
        o.put("cache_hits", hits);
        o.put("progress", e.status() == Status.SUCCEEDED ? 1.0 : total == 0 ? 0 : Math.min(1.0, done / total));
        if (withDetails) {
            o.set("config", parse(e.configJson()));
        }
        ArrayNode arr = o.putArray("nodes");
        for (LinkedNode n : nodes) {
            ObjectNode node = withDetails ? node(n.node()) : nodeSummary(n.node());
            node.put("cache_hit", n.cacheHit());
            arr.add(node);
        }
        return o;
    }

    /**
     * What a sweep's page draws of a node (its graph, samples and loss curves): no config, result,
     * worker, error or times, which only the experiment's own page shows, so a sweep of many arms
     * stays a small answer.
     */
    static ObjectNode nodeSummary(NodeRecord n) {
        ObjectNode o = ApiServer.JSON.createObjectNode();
        o.put("key", n.key());
        o.put("kind", n.kind());
        o.put("status", n.status().name());
        o.put("attempts", n.attempts());
        o.put("progress", n.progress());
        o.put("progress_message", n.progressMessage());
        o.set("input_keys", parse(n.inputKeysJson()));
        o.set("artifact_keys", ApiServer.JSON.valueToTree(n.artifactKeys() == null ? Map.of() : n.artifactKeys()));
        return o;
    }

    static ObjectNode node(NodeRecord n) {
        ObjectNode o = nodeSummary(n);
        o.put("code_version", n.codeVersion());
        o.set("config", parse(n.configJson()));
        o.set("result", parse(n.resultJson()));
        o.put("worker", n.worker());
        o.put("error", n.error());
        o.put("created_at", String.valueOf(n.createdAt()));
        o.put("started_at", n.startedAt() == null ? null : n.startedAt().toString());
        o.put("finished_at", n.finishedAt() == null ? null : n.finishedAt().toString());
        o.put("duration_ms", n.durationMs());
        return o;
    }

    /**
     * An experiment's lineage as the bundle keeps it: the arm's fields and every node it asked for with all
     * of its fields (config, inputs, code version, artifacts, result) and whether it came from the cache.
     * Unlike {@link #experiment} it plans nothing: no progress, no node counts.
     */
    static ObjectNode lineage(ExperimentRecord e, List<LinkedNode> nodes) {
        ObjectNode o = experimentFields(e);
        ArrayNode arr = o.putArray("nodes");
        for (LinkedNode n : nodes) {
            arr.add(node(n.node()).put("cache_hit", n.cacheHit()));
        }
        return o;
    }
}
