package lab.d2c.workers.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import lab.d2c.store.artifact.ArtifactStore;
import lab.d2c.store.db.MetricsRepository;
import lab.d2c.workflows.node.NodeTask;

/**
 * What a node executor works with: its task, its config slice, the stores and a progress
 * reporter. Every object a node writes lives under {@link #prefix()}.
 */
public final class NodeContext {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final NodeTask task;
    private final ObjectNode config;
    private final ArtifactStore artifacts;
    private final MetricsRepository metrics;
    private final ProgressReporter progress;
    private final String device;
    private final FileRoots fileRoots;

    /** A context on the CPU. */
    public NodeContext(NodeTask task, ArtifactStore artifacts, MetricsRepository metrics, ProgressReporter progress) {
        this(task, artifacts, metrics, progress, "cpu");
    }

    /** A context with the {@link FileRoots#DEFAULT default file roots}. */
    public NodeContext(NodeTask task, ArtifactStore artifacts, MetricsRepository metrics, ProgressReporter progress,
            String device) {
        this(task, artifacts, metrics, progress, device, FileRoots.DEFAULT);
    }

    /**
     * @param device    where this worker runs models: {@code cpu} or {@code gpu:N} (worker configuration)
     * @param fileRoots the folders the files a config names may be read from (worker configuration)
     */
    public NodeContext(NodeTask task, ArtifactStore artifacts, MetricsRepository metrics, ProgressReporter progress,
            String device, FileRoots fileRoots) {
        this.task = task;
        this.device = device;
        this.fileRoots = fileRoots;
        this.artifacts = artifacts;
        this.metrics = metrics;
        this.progress = progress;
        try {
            this.config = (ObjectNode) JSON.readTree(task.configJson());
        } catch (java.io.IOException | ClassCastException e) {
            throw new BadNodeInputException("node " + task.key() + ": config is not a JSON object", e);
        }
    }

    public NodeTask task() {
        return task;
    }

    public String key() {
        return task.key();
    }

    /** The config slice this node reads (nested, as in the spec). */
    public ObjectNode config() {
        return config;
    }

    /** A config value by dotted path; fails naming the path when absent. */
    public JsonNode required(String dottedPath) {
        JsonNode cur = config;
        for (String part : dottedPath.split("\\.")) {
            cur = cur == null ? null : cur.get(part);
        }
        if (cur == null || cur.isMissingNode()) {
            throw new BadNodeInputException("node " + task.key() + ": config key " + dottedPath + " is missing");
        }
        return cur;
    }

    /** The device this worker runs models on: {@code cpu} or {@code gpu:N}. */
    public String device() {
        return device;
    }

    /** Where the files a config names may be read from; read them through {@link FileRoots#resolve}. */
    public FileRoots fileRoots() {
        return fileRoots;
    }

    public ArtifactStore artifacts() {
        return artifacts;
    }

    /** The evaluations table, on the metrics' database. */
    public lab.d2c.store.db.EvaluationRepository evaluations() {
        return new lab.d2c.store.db.EvaluationRepository(metrics.dataSource());
    }

    public MetricsRepository metrics() {
        return metrics;
    }

    /** The object-key prefix of this node's outputs, {@code nodes/<key>/}. */
    public String prefix() {
        return "nodes/" + task.key() + "/";
    }

    /** Writes an object's bytes to a stream. */
    @FunctionalInterface
    public interface ObjectWriter {
        void write(java.io.OutputStream out) throws java.io.IOException;
    }

    /**
     * Writes an object of this node (under {@link #prefix()} by convention) through an in-memory
     * buffer, so its size is known and its sha256 recorded; for objects that fit in memory.
     */
    public lab.d2c.store.artifact.ArtifactInfo write(String key, String contentType, ObjectWriter writer)
            throws java.io.IOException {
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        writer.write(buf);
        return artifacts.putBytes(key, buf.toByteArray(), contentType, task.key());
    }

    public void progress(double fraction, String message) {
        progress.report(fraction, message, null);
    }

    public void progress(double fraction, String message, Object details) {
        progress.report(fraction, message, details);
    }

    static ObjectMapper json() {
        return JSON;
    }

    /** Serializes a small value to JSON text. */
    public static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
