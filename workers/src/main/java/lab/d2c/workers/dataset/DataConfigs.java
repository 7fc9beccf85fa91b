package lab.d2c.workers.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import lab.d2c.model.data.DataConfig;
import lab.d2c.workers.node.NodeContext;

/** Reads the {@code data} section of a node's config into model-lib's record. */
public final class DataConfigs {

    private DataConfigs() {
    }

    /**
     * @throws lab.d2c.workers.node.BadNodeInputException when {@code data.path} is outside the worker's
     *         file roots (null keeps the dataset's default location, which is the worker's own choice)
     */
    public static DataConfig from(NodeContext ctx) {
        JsonNode path = ctx.config().path("data").path("path");
        return new DataConfig(
                ctx.required("data.dataset").asText(),
                path.isMissingNode() || path.isNull() || path.asText().isBlank() ? null
                        : ctx.fileRoots().resolve("data.path", path.asText()),
                ctx.required("data.image_size").asInt(),
                ctx.required("data.channels").asInt(),
                ctx.required("data.num_classes").asInt(),
                ctx.required("data.train_size").asInt(),
                ctx.required("data.test_size").asInt(),
                ctx.required("data.seed").asLong(),
                ctx.required("data.shard_size").asInt());
    }
}
