package lab.d2c.workers.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import lab.d2c.model.io.BlockTensors;
import lab.d2c.model.io.SafetensorsFile;
import lab.d2c.model.train.TrainableModel;
import lab.d2c.store.artifact.ArtifactStore;
import lab.d2c.store.artifact.Sha256;
import lab.d2c.workflows.node.NodeResult;

/**
 * Checks a training node's {@code weights_safetensors} against its DJL weights: the recorded sha256, the
 * metadata (kind, node key, the model config the result records), and every tensor, by name, shape and
 * value, equal to the parameter that DJL's {@code weights.params} loads into {@code model}, none missing
 * and none extra.
 */
public final class SafetensorsExports {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SafetensorsExports() {
    }

    /** {@code model}: a fresh model built from the node's recorded {@code model_config}. */
    public static void assertMatchesTheDjlWeights(ArtifactStore store, NodeResult trained, TrainableModel model)
            throws IOException {
        String key = trained.artifact(ModelWeights.SAFETENSORS_ROLE);
        assertThat(key).isEqualTo("nodes/" + trained.key() + "/weights.safetensors");
        byte[] bytes = store.getBytes(key);
        JsonNode result = JSON.readTree(trained.resultJson());
        assertThat(Sha256.of(bytes)).isEqualTo(result.get(ModelWeights.SAFETENSORS_SHA_FIELD).asText());
        SafetensorsFile file = SafetensorsFile.parse(bytes);
        assertThat(file.metadata()).containsEntry("format", "pt").containsEntry("d2c_kind", trained.kind())
                .containsEntry("d2c_node", trained.key());
        assertThat(JSON.readTree(file.metadata().get(ModelWeights.CONFIG_FIELD)))
                .isEqualTo(result.get(ModelWeights.CONFIG_FIELD));
        try (NDManager manager = NDManager.newBaseManager()) {
            ModelWeights.load(store, trained, model, manager);
            List<BlockTensors.Named> params = BlockTensors.names(model.block());
            assertThat(file.entries().keySet()).containsExactlyElementsOf(
                    params.stream().map(BlockTensors.Named::name).toList());
            for (BlockTensors.Named p : params) {
                assertThat(file.entry(p.name()).shape()).as(p.name()).containsExactly(p.shape());
                assertThat(file.floats(p.name())).as(p.name()).containsExactly(p.parameter().getArray().toFloatArray());
            }
        }
    }
}
