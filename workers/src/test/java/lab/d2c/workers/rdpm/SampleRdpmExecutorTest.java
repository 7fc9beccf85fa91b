package lab.d2c.workers.rdpm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import lab.d2c.config.rdpm.RdpmPredictorConfig;
import lab.d2c.model.data.ImageGrid;
import lab.d2c.model.data.Npy;
import lab.d2c.model.rdpm.CodeLookup;
import lab.d2c.model.rdpm.RdpmTokenizer;
import lab.d2c.model.rdpm.RecurrentTokenPredictor;
import lab.d2c.model.runtime.Views;
import lab.d2c.store.artifact.ArtifactInfo;
import lab.d2c.store.artifact.ArtifactStore;
import lab.d2c.store.testing.TestStack;
import lab.d2c.workers.StandardExecutors;
import lab.d2c.workers.eval.EvalNodes;
import lab.d2c.workers.eval.EvaluateExecutor;
import lab.d2c.workers.eval.ReferenceStatsExecutor;
import lab.d2c.workers.eval.TrainClassifierExecutor;
import lab.d2c.workers.node.BadNodeInputException;
import lab.d2c.workers.node.NodeContext;
import lab.d2c.workers.tokenizer.TokenizerNodes;
import lab.d2c.workers.tokenizer.TokenizerWeights;
import lab.d2c.workers.training.ModelWeights;
import lab.d2c.workflows.graph.SampleRdpmNode;
import lab.d2c.workflows.graph.TrainRdpmNode;
import lab.d2c.workflows.node.NodeResult;
import lab.d2c.workflows.node.NodeTask;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * sample-rdpm on the real stores, on a briefly trained tokenizer (train-rdpm-tokenizer, T = 3, 32 codes of 4 on a 4x4
 * grid) and a random-init predictor saved as train-rdpm saves one: the arrays' shapes, the written pixels are the
 * tokenizer's decoding of the written codes, the same seed gives the same bytes, and evaluate scores the images.
 */
class SampleRdpmExecutorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CLASSES = 4;
    private static ArtifactStore store;
    private static NodeResult dataset;
    private static NodeResult tokenizer;
    private static NodeResult predictor;

    /** 6 images, 4 at a time, guided (linear) with Gumbel noise, so every branch of the sampler runs. */
    private static String config(long seed, String temperature) {
        return "{\"seed\":" + seed + ",\"rdpm\":{\"sample\":{\"count\":6,\"batch_size\":4,\"guidance_scale\":1.5,"
                + "\"guidance_schedule\":\"linear\",\"gumbel\":true,\"temperature\":" + temperature + "}}}";
    }

    @BeforeAll
    static void trainTheTokenizerAndSaveAPredictor() throws Exception {
        store = TestStack.get().artifactStore("rdpm-sample");
        dataset = TokenizerNodes.prepared(store, "prepare-dataset-rdpms");
        tokenizer = TokenizerNodes.run(store, new TrainRdpmTokenizerExecutor(), "train-rdpm-tokenizer-s",
                TrainRdpmTokenizerExecutorTest.config(2, 0, true), Map.of("dataset", dataset), (f, m, d) -> { });
        predictor = savedPredictor("train-rdpm-s");
    }

    /**
     * A train-rdpm node's output for the tokenizer above (weights, model config, class names): a random-init
     * predictor whose zero-initialized AdaLN modulations and output layer are drawn instead, so its logits depend on
     * every input.
     */
    private static NodeResult savedPredictor(String key) throws Exception {
        NodeContext ctx = new NodeContext(new NodeTask(key, TrainRdpmNode.KIND, 1, "{}", Map.of()), store,
                TokenizerNodes.metrics(), (f, m, d) -> { });
        try (NDManager m = NDManager.newBaseManager()) {
            RdpmTokenizer tok = TokenizerWeights.loadRdpm(store, tokenizer, m);
            RdpmPredictorConfig config = RdpmPredictorConfig.builder().setVocabSize(tok.config().codebookSize())
                    .setCodeDim(tok.config().codeDim()).setGrid(tok.config().tokenGrid()).setSteps(tok.config().steps())
                    .setNumClasses(CLASSES).optWidth(32).optDepth(1).optHeads(2).optFfnMultipleOf(8)
                    .optClassDropout(0.1).build();
            RecurrentTokenPredictor model = new RecurrentTokenPredictor(config,
                    CodeLookup.codebook(tok.codebook(m)));
            Engine.getInstance().setRandomSeed(3);
            model.initialize(m, DataType.FLOAT32, model.initShapes());
            SplittableRandom r = new SplittableRandom(3);
            for (Pair<String, Parameter> p : model.getParameters()) {
                if (p.getKey().endsWith("adaLN_modulation_weight") || p.getKey().endsWith("output_weight")) {
                    float[] v = new float[Math.toIntExact(p.getValue().getArray().size())];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = (float) (r.nextGaussian() * 0.3);
                    }
                    Views.overwrite(m, p.getValue().getArray(), v);
                }
            }
            ArtifactInfo weights = ModelWeights.save(ctx, ctx.prefix() + "weights.bin", model);
            ObjectNode result = JSON.createObjectNode();
            result.put(ModelWeights.SHA_FIELD, weights.sha256());
            result.set(ModelWeights.CONFIG_FIELD, JSON.valueToTree(config));
            result.set("class_names", JSON.valueToTree(List.of("a", "b", "c", "d")));
            return new NodeResult(key, TrainRdpmNode.KIND, Map.of(ModelWeights.ROLE, weights.key()),
                    NodeContext.toJson(result), false);
        }
    }

    private static NodeResult sample(String key, String config) throws Exception {
        return TokenizerNodes.run(store, new SampleRdpmExecutor(), key, config,
                Map.of("rdpm", predictor, "tokenizer", tokenizer), (f, m, d) -> { });
    }

    private static Npy.Array npy(NodeResult node, String role) throws Exception {
        return Npy.read(new ByteArrayInputStream(store.getBytes(node.artifact(role))));
    }

    @Test
    void isRegistered() {
        assertThat(StandardExecutors.create().kinds()).contains(SampleRdpmNode.KIND);
    }

    @Test
    void writesWhatSampleWritesTheCodesDecodeToThePixelsTheSeedRepeatsAndEvaluateScoresThem() throws Exception {
        NodeResult a = sample("sample-rdpm-a", config(7, "1.0"));
        NodeResult b = sample("sample-rdpm-b", config(7, "1.0"));
        NodeResult other = sample("sample-rdpm-c", config(8, "1.0"));

        Npy.Array samples = npy(a, "samples");
        assertThat(samples.dtype()).endsWith("u1");
        assertThat(samples.shape()).containsExactly(6, 1, 16, 16);
        assertThat(npy(a, "labels").asInts()).containsExactly(0, 1, 2, 3, 0, 1);
        Npy.Array codes = npy(a, "codes");
        assertThat(codes.shape()).containsExactly(6, 3, 4, 4);
        assertThat(Arrays.stream(codes.asInts()).allMatch(c -> c >= 0 && c < 32)).isTrue();
        assertThat(store.getBytes(a.artifact("grid"))).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');

        // the same seed, the same bytes; another seed, other codes
        for (String role : List.of("samples", "labels", "codes", "grid")) {
            assertThat(store.getBytes(b.artifact(role))).as(role).isEqualTo(store.getBytes(a.artifact(role)));
        }
        assertThat(npy(other, "codes").asInts()).isNotEqualTo(codes.asInts());

        // the written pixels are the tokenizer's decoding of the written codes (Algorithm 2, line 6)
        try (NDManager m = NDManager.newBaseManager()) {
            RdpmTokenizer tok = TokenizerWeights.loadRdpm(store, tokenizer, m);
            float[] images = tok.decode(m.create(codes.asInts(), new Shape(6, 3, 4, 4)))
                    .toType(DataType.FLOAT32, false).toFloatArray();
            assertThat(samples.data()).isEqualTo(ImageGrid.toPixels(images));
        }

        JsonNode r = JSON.readTree(a.resultJson());
        assertThat(r.get("count").asInt()).isEqualTo(6);
        assertThat(r.get("seed").asLong()).isEqualTo(7);
        assertThat(r.get("steps").asInt()).isEqualTo(3);
        assertThat(r.at("/sampling/guidanceScale").asDouble()).isEqualTo(1.5);
        assertThat(r.at("/sampling/gumbel").asBoolean()).isTrue();
        assertThat(r.get("sample_seconds").asDouble()).isPositive();
        assertThat(r.get("seconds_per_image").asDouble()).isPositive();
        assertThat(r.get("device").asText()).isEqualTo("cpu");

        // evaluate reads the node's images as it reads sample's
        String evalConfig = "{\"seed\":0," + EvalNodes.classifier(10) + "," + EvalNodes.eval("sample-rdpm") + "}";
        NodeResult classifier = TokenizerNodes.run(store, new TrainClassifierExecutor(), "train-classifier-rdpms",
                evalConfig, Map.of("dataset", dataset), (f, m, d) -> { });
        NodeResult reference = TokenizerNodes.run(store, new ReferenceStatsExecutor(), "reference-stats-rdpms",
                evalConfig, Map.of("dataset", dataset, "classifier", classifier), (f, m, d) -> { });
        NodeResult scored = TokenizerNodes.run(store, new EvaluateExecutor(), "evaluate-rdpms", evalConfig,
                Map.of("images", a, "reference", reference, "classifier", classifier), (f, m, d) -> { });
        JsonNode e = JSON.readTree(scored.resultJson());
        assertThat(e.get("count").asInt()).isEqualTo(6);
        assertThat(e.get("images").asText()).isEqualTo(SampleRdpmNode.KIND);
        assertThat(e.at("/metrics/fid-shapes-cls").asDouble()).isFinite().isGreaterThanOrEqualTo(0);
        assertThat(e.at("/settings/sampling/guidanceScale").asDouble()).isEqualTo(1.5);
    }

    @Test
    void badSettingsNameTheKey() {
        assertThatThrownBy(() -> sample("sample-rdpm-bad", config(7, "0.0")))
                .isInstanceOf(BadNodeInputException.class).hasMessageContaining("rdpm.sample.temperature");
    }
}
