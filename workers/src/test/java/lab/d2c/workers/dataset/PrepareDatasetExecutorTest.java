package lab.d2c.workers.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import lab.d2c.model.data.DatasetMissingException;
import lab.d2c.model.data.Npy;
import lab.d2c.store.artifact.ArtifactStore;
import lab.d2c.store.db.MetricsRepository;
import lab.d2c.store.testing.TestStack;
import lab.d2c.workers.node.BadNodeInputException;
import lab.d2c.workers.node.FileRoots;
import lab.d2c.workers.node.NodeContext;
import lab.d2c.workers.node.NodeOutput;
import lab.d2c.workflows.node.NodeTask;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** prepare-dataset against the real S3 server: shards, manifest, checksums, clear errors. */
class PrepareDatasetExecutorTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static String shapes(int train, int test, int shard) {
        return "{\"data\":{\"dataset\":\"shapes\",\"path\":null,\"image_size\":16,\"channels\":1,\"num_classes\":4,"
                + "\"train_size\":" + train + ",\"test_size\":" + test + ",\"seed\":5,\"shard_size\":" + shard + "}}";
    }

    private static NodeOutput run(ArtifactStore store, String key, String config, List<Double> progress) throws Exception {
        return run(store, key, config, progress, FileRoots.DEFAULT);
    }

    private static NodeOutput run(ArtifactStore store, String key, String config, List<Double> progress,
            FileRoots roots) throws Exception {
        NodeTask task = new NodeTask(key, "prepare-dataset", 1, config, Map.of());
        NodeContext ctx = new NodeContext(task, store, new MetricsRepository(TestStack.get().database().dataSource()),
                (fraction, message, details) -> progress.add(fraction), "cpu", roots);
        return new PrepareDatasetExecutor().execute(ctx);
    }

    static String fashionMnist(String path) {
        return "{\"data\":{\"dataset\":\"fashion-mnist\",\"path\":\"" + path + "\",\"image_size\":32,"
                + "\"channels\":1,\"num_classes\":10,\"train_size\":0,\"test_size\":0,\"seed\":0,\"shard_size\":1000}}";
    }

    /** The four Fashion-MNIST IDX files with {@code train} and {@code test} blank 28x28 images. */
    private static Path writeFashionMnist(Path dir, int train, int test) throws IOException {
        Files.createDirectories(dir);
        for (String[] split : new String[][] {{"train", String.valueOf(train)}, {"t10k", String.valueOf(test)}}) {
            int n = Integer.parseInt(split[1]);
            idx(dir.resolve(split[0] + "-images-idx3-ubyte.gz"), 0x803, new int[] {n, 28, 28}, new byte[n * 28 * 28]);
            byte[] labels = new byte[n];
            for (int i = 0; i < n; i++) {
                labels[i] = (byte) (i % 10);
            }
            idx(dir.resolve(split[0] + "-labels-idx1-ubyte.gz"), 0x801, new int[] {n}, labels);
        }
        return dir;
    }

    private static void idx(Path file, int magic, int[] dims, byte[] data) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(Files.newOutputStream(file)))) {
            out.writeInt(magic);
            for (int d : dims) {
                out.writeInt(d);
            }
            out.write(data);
        }
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
    void fashionMnistFromAMissingPathSaysHowToInstall(@TempDir Path root) {
        ArtifactStore store = TestStack.get().artifactStore("prep-missing");
        String cfg = fashionMnist(root.resolve("fmnist").toString());
        assertThatThrownBy(() -> run(store, "prepare-dataset-missing", cfg, new ArrayList<>(),
                new FileRoots(List.of(root))))
                .isInstanceOf(DatasetMissingException.class)
                .hasMessageContaining("apt-get install dataset-fashion-mnist")
                .hasMessageContaining("data.path");
    }

    @Test
    void onlyADataPathInsideTheWorkersFileRootsIsRead(@TempDir Path tmp) throws Exception {
        ArtifactStore store = TestStack.get().artifactStore("prep-roots");
        FileRoots roots = new FileRoots(List.of(Files.createDirectories(tmp.resolve("root"))));
        Path inside = writeFashionMnist(tmp.resolve("root/fmnist"), 12, 5);
        NodeOutput out = run(store, "prepare-dataset-inside", fashionMnist(inside.toString()), new ArrayList<>(), roots);
        assertThat(out.result().get("train_count").asInt()).isEqualTo(12);
        assertThat(out.result().get("test_count").asInt()).isEqualTo(5);

        Path outside = writeFashionMnist(tmp.resolve("elsewhere"), 12, 5);
        assertThatThrownBy(() -> run(store, "prepare-dataset-outside", fashionMnist(outside.toString()),
                new ArrayList<>(), roots)).isInstanceOf(BadNodeInputException.class)
                .hasMessage("data.path: " + outside + " is outside the allowed file roots " + roots.roots()
                        + " (set D2C_FILE_ROOTS)");
        Path link = Files.createSymbolicLink(tmp.resolve("root/link"), outside);
        assertThatThrownBy(() -> run(store, "prepare-dataset-link", fashionMnist(link.toString()),
                new ArrayList<>(), roots)).isInstanceOf(BadNodeInputException.class)
                .hasMessageStartingWith("data.path: " + link + " is outside the allowed file roots");
    }

    @Test
    void missingConfigKeyIsNamed() {
        ArtifactStore store = TestStack.get().artifactStore("prep-bad");
        String cfg = JSON.createObjectNode().set("data", JSON.createObjectNode().put("dataset", "shapes")).toString();
        assertThatThrownBy(() -> run(store, "prepare-dataset-bad", cfg, new ArrayList<>()))
                .hasMessageContaining("data.image_size");
    }
}
