package lab.d2c.workers.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import lab.d2c.model.data.DatasetMissingException;
import lab.d2c.model.data.Npy;
import lab.d2c.store.artifact.ArtifactStore;
import lab.d2c.store.db.MetricsRepository;
import lab.d2c.store.testing.TestStack;
import lab.d2c.workers.node.NodeContext;
import lab.d2c.workers.node.NodeOutput;
import lab.d2c.workflows.node.NodeTask;
import org.junit.jupiter.api.Test;

/** prepare-dataset against the real S3 server: shards, manifest, checksums, clear errors. */
class PrepareDatasetExecutorTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static String shapes(int train, int test, int shard) {
        return "{\"data\":{\"dataset\":\"shapes\",\"path\":null,\"image_size\":16,\"channels\":1,\"num_classes\":4,"
                + "\"train_size\":" + train + ",\"test_size\":" + test + ",\"seed\":5,\"shard_size\":" + shard + "}}";
    }

    private static NodeOutput run(ArtifactStore store, String key, String config, List<Double> progress) throws Exception {
        NodeTask task = new NodeTask(key, "prepare-dataset", 1, config, Map.of());
        NodeContext ctx = new NodeContext(task, store, new MetricsRepository(TestStack.get().database().dataSource()),
                (fraction, message, details) -> progress.add(fraction));
        return new PrepareDatasetExecutor().execute(ctx);
    }

    @Test
    void writesShardsAndAManifestWhoseChecksumsMatch() throws Exception {
        ArtifactStore store = TestStack.get().artifactStore("prep");
        List<Double> progress = new ArrayList<>();
        NodeOutput out = run(store, "prepare-dataset-test1", shapes(100, 30, 40), progress);

        String manifestKey = out.artifacts().get("manifest");
        assertThat(manifestKey).isEqualTo("nodes/prepare-dataset-test1/manifest.json");
        DatasetManifest m = store.getJson(manifestKey, DatasetManifest.class);
        assertThat(m.splits().get("train").count()).isEqualTo(100);
        assertThat(m.splits().get("train").shards()).hasSize(3);
        assertThat(m.splits().get("test").count()).isEqualTo(30);
        int sum = 0;
        for (int c : m.splits().get("train").countsPerClass()) {
            sum += c;
        }
        assertThat(sum).isEqualTo(100);

        int seen = 0;
        for (DatasetManifest.Shard shard : m.splits().get("train").shards()) {
            assertThat(store.sha256Of(shard.imagesKey())).isEqualTo(shard.imagesSha256());
            Npy.Array images = Npy.read(new ByteArrayInputStream(store.getBytes(shard.imagesKey())));
            Npy.Array labels = Npy.read(new ByteArrayInputStream(store.getBytes(shard.labelsKey())));
            assertThat(images.shape()).containsExactly(shard.count(), 1, 16, 16);
            assertThat(labels.asInts()).hasSize(shard.count());
            assertThat(java.util.Arrays.stream(labels.asInts()).allMatch(l -> l >= 0 && l < 4)).isTrue();
            seen += shard.count();
        }
        assertThat(seen).isEqualTo(100);
        assertThat(out.result().get("train_count").asInt()).isEqualTo(100);
        assertThat(progress).isSorted().last().isEqualTo(1.0);
    }

    @Test
    void sameConfigGivesIdenticalBytes() throws Exception {
        ArtifactStore a = TestStack.get().artifactStore("prep-a");
        ArtifactStore b = TestStack.get().artifactStore("prep-b");
        NodeOutput oa = run(a, "prepare-dataset-same", shapes(50, 10, 50), new ArrayList<>());
        NodeOutput ob = run(b, "prepare-dataset-same", shapes(50, 10, 50), new ArrayList<>());
        assertThat(oa.result().get("manifest_sha256")).isEqualTo(ob.result().get("manifest_sha256"));
    }

    @Test
    void fashionMnistFromAMissingPathSaysHowToInstall() {
        ArtifactStore store = TestStack.get().artifactStore("prep-missing");
        String cfg = "{\"data\":{\"dataset\":\"fashion-mnist\",\"path\":\"/nonexistent/fmnist\",\"image_size\":32,"
                + "\"channels\":1,\"num_classes\":10,\"train_size\":0,\"test_size\":0,\"seed\":0,\"shard_size\":1000}}";
        assertThatThrownBy(() -> run(store, "prepare-dataset-missing", cfg, new ArrayList<>()))
                .isInstanceOf(DatasetMissingException.class)
                .hasMessageContaining("apt-get install dataset-fashion-mnist")
                .hasMessageContaining("data.path");
    }

    @Test
    void missingConfigKeyIsNamed() {
        ArtifactStore store = TestStack.get().artifactStore("prep-bad");
        String cfg = JSON.createObjectNode().set("data", JSON.createObjectNode().put("dataset", "shapes")).toString();
        assertThatThrownBy(() -> run(store, "prepare-dataset-bad", cfg, new ArrayList<>()))
                .hasMessageContaining("data.image_size");
    }
}
