package lab.d2c.workers.pretokenize;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.ByteArrayInputStream;
import java.util.Arrays;
import java.util.Map;
import lab.d2c.model.data.ImageBatches;
import lab.d2c.model.data.ImageSet;
import lab.d2c.model.data.Npy;
import lab.d2c.model.tokenizer.VqTokenizer;
import lab.d2c.store.artifact.ArtifactStore;
import lab.d2c.store.testing.TestStack;
import lab.d2c.workers.dataset.DatasetShards;
import lab.d2c.workers.tokenizer.TokenizerNodes;
import lab.d2c.workers.tokenizer.TokenizerWeights;
import lab.d2c.workers.tokenizer.TrainVaeExecutor;
import lab.d2c.workers.tokenizer.TrainVqExecutor;
import lab.d2c.workers.training.ModelWeights;
import lab.d2c.workflows.node.NodeResult;
import org.junit.jupiter.api.Test;

/** pretokenize on the real stores: shards of both flips that match the tokenizers, and a manifest. */
class PretokenizeExecutorTest {

    @Test
    void writesIdsAndMomentsOfBothFlipsForEveryTrainingImage() throws Exception {
        ArtifactStore store = TestStack.get().artifactStore("pretok");
        NodeResult dataset = TokenizerNodes.prepared(store, "prepare-dataset-pt");
        NodeResult vq = TokenizerNodes.run(store, new TrainVqExecutor(), "train-vq-pt", TokenizerNodes.vq(4, 4),
                Map.of("dataset", dataset), (f, m, d) -> { });
        NodeResult vae = TokenizerNodes.run(store, new TrainVaeExecutor(), "train-vae-pt", TokenizerNodes.vae(4, 4),
                Map.of("dataset", dataset), (f, m, d) -> { });
        String config = "{\"pretokenize\":{\"batch_size\":16,\"shard_size\":40}}";
        Map<String, NodeResult> inputs = Map.of("dataset", dataset, "vq", vq, "vae", vae);
        NodeResult out = TokenizerNodes.run(store, new PretokenizeExecutor(), "pretokenize-pt", config, inputs,
                (f, m, d) -> { });

        TokenManifest manifest = store.getJson(out.artifact("manifest"), TokenManifest.class);
        assertThat(manifest.count()).isEqualTo(96);
        assertThat(manifest.flips()).isEqualTo(2);
        assertThat(manifest.grid()).isEqualTo(4);
        assertThat(manifest.latentChannels()).isEqualTo(4);
        assertThat(manifest.latentScale()).isEqualTo(ModelWeights.resultNumber(vae, TrainVaeExecutor.LATENT_SCALE));
        assertThat(manifest.shards()).extracting(TokenManifest.Shard::count).containsExactly(40, 40, 16);

        TokenManifest.Shard first = manifest.shards().get(0);
        assertThat(store.sha256Of(first.idsKey())).isEqualTo(first.idsSha256());
        Npy.Array ids = Npy.read(new ByteArrayInputStream(store.getBytes(first.idsKey())));
        Npy.Array moments = Npy.read(new ByteArrayInputStream(store.getBytes(first.momentsKey())));
        assertThat(ids.shape()).containsExactly(40, 2, 4, 4);
        assertThat(moments.shape()).containsExactly(40, 2, 8, 4, 4);
        assertThat(Arrays.stream(ids.asInts()).allMatch(i -> i >= 0 && i < 64)).isTrue();

        // flip 1 of image 0 is what the trained VQ gives for the mirrored image
        ImageSet train = DatasetShards.load(store, DatasetShards.manifest(store, dataset.artifact("manifest")), "train", 1);
        try (NDManager m = NDManager.newBaseManager()) {
            VqTokenizer model = TokenizerWeights.loadVq(store, vq, m);
            NDArray image = new ImageBatches(train).images(m, 0, 1);
            assertThat(Arrays.copyOfRange(ids.asInts(), 0, 16)).containsExactly(model.encodeIds(image).toIntArray());
            assertThat(Arrays.copyOfRange(ids.asInts(), 16, 32)).containsExactly(model.encodeIds(image.flip(3)).toIntArray());
        }

        // a retried attempt rewrites identical bytes
        NodeResult again = TokenizerNodes.run(store, new PretokenizeExecutor(), "pretokenize-pt", config, inputs,
                (f, m, d) -> { });
        assertThat(store.getJson(again.artifact("manifest"), TokenManifest.class)).isEqualTo(manifest);
    }
}
