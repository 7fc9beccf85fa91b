package lab.d2c.workers.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import java.util.Random;
import lab.d2c.model.classifier.ClassifierConfig;
import lab.d2c.model.classifier.ImageClassifier;
import lab.d2c.model.data.ImageSet;
import lab.d2c.model.data.Npy;
import lab.d2c.model.eval.FeatureSet;
import lab.d2c.model.eval.FidBootstrap;
import lab.d2c.store.artifact.ArtifactStore;
import lab.d2c.store.db.Evaluation;
import lab.d2c.store.db.EvaluationRepository;
import lab.d2c.store.testing.TestStack;
import lab.d2c.workers.dataset.DatasetManifest;
import lab.d2c.workers.dataset.DatasetShards;
import lab.d2c.workers.tokenizer.TokenizerNodes;
import lab.d2c.workers.training.ModelWeights;
import lab.d2c.workers.training.SafetensorsExports;
import lab.d2c.workflows.node.NodeResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * train-classifier, reference-stats and evaluate on the real stores: the classifier beats chance on
 * held-out images, and the metrics rank real images far above noise (lower FID, higher recall and
 * IS), written once per (node, metric) with the images' settings; FID's bootstrap interval and
 * replicates agree with each other and repeat on a rerun.
 */
class EvalExecutorsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static ArtifactStore store;
    private static NodeResult dataset;
    private static NodeResult classifier;
    private static NodeResult reference;

    private static String config() {
        return "{\"seed\":0," + EvalNodes.classifier(60) + "," + EvalNodes.eval("sample") + "}";
    }

    @BeforeAll
    static void trainTheClassifierAndTheReference() throws Exception {
        store = TestStack.get().artifactStore("eval");
        dataset = TokenizerNodes.prepared(store, "prepare-dataset-ev");
        classifier = TokenizerNodes.run(store, new TrainClassifierExecutor(), "train-classifier-ev", config(),
                Map.of("dataset", dataset), (f, m, d) -> { });
        reference = TokenizerNodes.run(store, new ReferenceStatsExecutor(), "reference-stats-ev", config(),
                Map.of("dataset", dataset, "classifier", classifier), (f, m, d) -> { });
    }

    @Test
    void theClassifierBeatsChanceAndTheReferenceCoversTheSplit() throws Exception {
        JsonNode trained = JSON.readTree(classifier.resultJson());
        assertThat(trained.get("test_accuracy").asDouble()).as("4 classes: chance 0.25").isGreaterThan(0.6);
        SafetensorsExports.assertMatchesTheDjlWeights(store, classifier,
                new ImageClassifier(ModelWeights.config(classifier, ClassifierConfig.class)));
        JsonNode ref = JSON.readTree(reference.resultJson());
        assertThat(ref.get("extractor").asText()).isEqualTo("shapes-cls");
        assertThat(ref.get("count").asInt()).isEqualTo(32);
        assertThat(FeatureSet.readFeatures(new ByteArrayInputStream(store.getBytes(reference.artifact("features"))))
                .numCols).isEqualTo(16);
    }

    @Test
    void realImagesScoreFarBetterThanNoiseAndRowsAreUpsertedOnce() throws Exception {
        DatasetManifest manifest = DatasetShards.manifest(store, dataset.artifact("manifest"));
        ImageSet train = DatasetShards.load(store, manifest, "train", 0);
        NodeResult realImages = images("sample-real-ev", train.pixels(), train.labels(), train.count());
        byte[] noise = new byte[train.pixels().length];
        new Random(3).nextBytes(noise);
        NodeResult noiseImages = images("sample-noise-ev", noise, train.labels(), train.count());

        NodeResult real = evaluate("evaluate-real-ev", realImages);
        NodeResult junk = evaluate("evaluate-noise-ev", noiseImages);
        JsonNode r = JSON.readTree(real.resultJson()).get("metrics");
        JsonNode n = JSON.readTree(junk.resultJson()).get("metrics");
        assertThat(r.get("fid-shapes-cls").asDouble()).isLessThan(n.get("fid-shapes-cls").asDouble() / 3);
        // noise collapses to nearly one feature point, which can sit inside the real manifold: precision
        // alone does not see it (Kynkaenniemi et al.), recall does
        assertThat(r.get("precision-shapes-cls").asDouble()).isGreaterThan(0.5);
        assertThat(r.get("recall-shapes-cls").asDouble()).isGreaterThan(n.get("recall-shapes-cls").asDouble());
        assertThat(r.get("is-shapes-cls").asDouble()).isGreaterThan(n.get("is-shapes-cls").asDouble());

        // FID's bootstrap: the real images' interval lies far below the noise's
        assertThat(r.get("fid_ci_low-shapes-cls").asDouble()).isLessThan(r.get("fid_ci_high-shapes-cls").asDouble());
        assertThat(r.get("fid_ci_high-shapes-cls").asDouble()).isLessThan(n.get("fid_ci_low-shapes-cls").asDouble());
        JsonNode boot = JSON.readTree(store.getBytes(real.artifact("fid_bootstrap")));
        assertThat(boot.get("metric").asText()).isEqualTo("fid-shapes-cls");
        assertThat(boot.get("replicates")).hasSize(50);
        double[] replicates = new double[50];
        for (int i = 0; i < 50; i++) {
            replicates[i] = boot.get("replicates").get(i).asDouble();
        }
        // the stored std and interval are those of the stored replicates (B - 1 std; the basic interval: the
        // percentiles reflected about the FID itself)
        double fid = r.get("fid-shapes-cls").asDouble();
        assertThat(boot.get("estimate").asDouble()).isCloseTo(fid, within(1e-9));
        assertThat(r.get("fid_std_boot-shapes-cls").asDouble()).isCloseTo(sampleStd(replicates), within(1e-9));
        assertThat(r.get("fid_ci_low-shapes-cls").asDouble())
                .isCloseTo(2 * fid - FidBootstrap.percentile(replicates, 0.975), within(1e-9));
        assertThat(r.get("fid_ci_high-shapes-cls").asDouble())
                .isCloseTo(2 * fid - FidBootstrap.percentile(replicates, 0.025), within(1e-9));
        assertThat(boot.get("percentile_low").asDouble())
                .isCloseTo(FidBootstrap.percentile(replicates, 0.025), within(1e-12));

        NodeResult again = evaluate("evaluate-real-ev", realImages); // a retried attempt replaces its rows
        assertThat(store.getBytes(again.artifact("fid_bootstrap"))).as("seeded from the node key")
                .isEqualTo(store.getBytes(real.artifact("fid_bootstrap")));
        List<Evaluation> rows = new EvaluationRepository(TestStack.get().database().dataSource())
                .ofNodes(List.of("evaluate-real-ev"));
        assertThat(rows).extracting(Evaluation::metric).containsExactlyInAnyOrder("fid-shapes-cls", "fid_std_boot-shapes-cls",
                "fid_ci_low-shapes-cls", "fid_ci_high-shapes-cls", "is-shapes-cls",
                "is_std-shapes-cls", "precision-shapes-cls", "recall-shapes-cls");
        Evaluation fidRow = rows.stream().filter(e -> e.metric().equals("fid-shapes-cls")).findFirst().orElseThrow();
        JsonNode settings = JSON.readTree(fidRow.settingsJson());
        assertThat(settings.get("count").asInt()).isEqualTo(96);
        assertThat(settings.get("sampling").get("steps").asInt()).isEqualTo(16);
        assertThat(fidRow.value()).isEqualTo(r.get("fid-shapes-cls").asDouble());
        assertThat(store.getBytes(real.artifact("features")).length).isGreaterThan(96 * 16 * 4);
    }

    private static double sampleStd(double[] v) {
        double mean = java.util.Arrays.stream(v).average().orElseThrow();
        double ss = 0;
        for (double x : v) {
            ss += (x - mean) * (x - mean);
        }
        return Math.sqrt(ss / (v.length - 1));
    }

    private static NodeResult evaluate(String key, NodeResult images) throws Exception {
        return TokenizerNodes.run(store, new EvaluateExecutor(), key, config(),
                Map.of("images", images, "reference", reference, "classifier", classifier), (f, m, d) -> { });
    }

    /** A stand-in sample node: its images and labels in S3, and sampling settings in its result. */
    private static NodeResult images(String key, byte[] pixels, int[] labels, int count) throws Exception {
        ByteArrayOutputStream samples = new ByteArrayOutputStream();
        Npy.writeUint8(samples, pixels, count, 1, 16, 16);
        ByteArrayOutputStream labelBytes = new ByteArrayOutputStream();
        Npy.writeInt32(labelBytes, labels, count);
        store.putBytes(key + "/samples.npy", samples.toByteArray(), ArtifactStore.OCTET_STREAM, key);
        store.putBytes(key + "/labels.npy", labelBytes.toByteArray(), ArtifactStore.OCTET_STREAM, key);
        String result = "{\"count\":" + count + ",\"sampling\":{\"steps\":16,\"guidanceScale\":2.0},\"fusion\":\"none\"}";
        return new NodeResult(key, "sample", Map.of("samples", key + "/samples.npy", "labels", key + "/labels.npy"),
                result, false);
    }
}
