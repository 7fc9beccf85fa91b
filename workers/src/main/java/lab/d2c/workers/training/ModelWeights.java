package lab.d2c.workers.training;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import lab.d2c.model.io.BlockTensors;
import lab.d2c.model.io.Safetensors;
import lab.d2c.model.runtime.SeededDraws;
import lab.d2c.model.train.TrainableModel;
import lab.d2c.store.artifact.ArtifactInfo;
import lab.d2c.store.artifact.ArtifactStore;
import lab.d2c.store.artifact.Sha256;
import lab.d2c.workers.node.NodeContext;
import lab.d2c.workflows.node.NodeResult;

/**
 * A trained model's final weights ({@code weights} artifact, DJL's parameter stream, its sha256 in
 * the result as {@code weights_sha256}) and the model config it was built with ({@code model_config}
 * in the node's result), so a downstream node rebuilds exactly that model and checks the bytes. Beside
 * them, the same values as safetensors ({@code weights_safetensors}, docs/weights.md) for use outside
 * Java; no node reads that copy.
 */
public final class ModelWeights {

    public static final String ROLE = "weights";
    public static final String CONFIG_FIELD = "model_config";
    public static final String SHA_FIELD = "weights_sha256";
    public static final String SAFETENSORS_ROLE = "weights_safetensors";
    public static final String SAFETENSORS_SHA_FIELD = "weights_safetensors_sha256";

    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelWeights() {
    }

    /** Writes the block's parameters under {@code key}. */
    public static ArtifactInfo save(NodeContext ctx, String key, Block block) throws IOException {
        return ctx.write(key, ArtifactStore.OCTET_STREAM, out -> {
            DataOutputStream data = new DataOutputStream(out);
            block.saveParameters(data);
            data.flush();
        });
    }

    /** A training node's final weights, written in both formats. */
    public record Saved(ArtifactInfo params, ArtifactInfo safetensors) {

        /** Adds both artifacts to a node's outputs and both sha256s to its result. */
        public void record(Map<String, String> artifacts, ObjectNode result) {
            artifacts.put(ROLE, params.key());
            artifacts.put(SAFETENSORS_ROLE, safetensors.key());
            result.put(SHA_FIELD, params.sha256());
            result.put(SAFETENSORS_SHA_FIELD, safetensors.sha256());
        }
    }

    /**
     * Writes the block's final weights under the node's prefix as {@code weights.params} (DJL's stream)
     * and {@code weights.safetensors}, whose metadata names the node and its model config.
     */
    public static Saved saveFinal(NodeContext ctx, Block block, Object modelConfig) throws IOException {
        ArtifactInfo params = save(ctx, ctx.prefix() + "weights.params", block);
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", "pt");
        metadata.put("d2c_kind", ctx.task().kind());
        metadata.put("d2c_node", ctx.key());
        metadata.put(CONFIG_FIELD, JSON.writeValueAsString(modelConfig));
        ArtifactInfo safetensors = ctx.write(ctx.prefix() + "weights.safetensors", ArtifactStore.OCTET_STREAM,
                out -> Safetensors.write(out, BlockTensors.tensors(block), metadata));
        return new Saved(params, safetensors);
    }

    /** The model config a training node recorded. */
    public static <C> C config(NodeResult trained, Class<C> type) {
        try {
            return JSON.treeToValue(result(trained).get(CONFIG_FIELD), type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalStateException("node " + trained.key() + " recorded no readable " + type.getSimpleName(), e);
        }
    }

    /** A number the training node recorded in its result, e.g. {@code latent_scale}. */
    public static double resultNumber(NodeResult trained, String field) {
        JsonNode v = result(trained).get(field);
        if (v == null || !v.isNumber()) {
            throw new IllegalStateException("node " + trained.key() + " recorded no number '" + field + "'");
        }
        return v.asDouble();
    }

    /** Initializes {@code model} on {@code manager} and loads the node's weights into it, after checking their sha256. */
    public static void load(ArtifactStore store, NodeResult trained, TrainableModel model, NDManager manager) {
        byte[] bytes = store.getBytes(trained.artifact(ROLE));
        String expected = result(trained).path(SHA_FIELD).asText();
        if (!Sha256.of(bytes).equals(expected)) {
            throw new IllegalStateException("weights of " + trained.key() + " do not match their recorded sha256");
        }
        // Initialization draws from libtorch's global generator; holding the lock keeps it from
        // landing between another thread's seed and draw (a training's dropout masks).
        synchronized (SeededDraws.LOCK) {
            model.block().initialize(manager, DataType.FLOAT32, model.initShapes());
        }
        try {
            model.block().loadParameters(manager, new DataInputStream(new ByteArrayInputStream(bytes)));
        } catch (IOException | MalformedModelException e) {
            throw new IllegalStateException("weights of " + trained.key() + " do not fit its model config", e);
        }
    }

    private static JsonNode result(NodeResult trained) {
        try {
            return JSON.readTree(trained.resultJson());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("node " + trained.key() + " has an unreadable result", e);
        }
    }
}
