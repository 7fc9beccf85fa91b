package lab.d2c.workers.eval;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import lab.d2c.model.classifier.ClassifierConfig;
import lab.d2c.model.classifier.ClassifierFeatures;
import lab.d2c.model.classifier.ImageClassifier;
import lab.d2c.model.eval.FeatureExtractor;
import lab.d2c.model.eval.TorchScriptInception;
import lab.d2c.workers.node.BadNodeInputException;
import lab.d2c.workers.node.NodeContext;
import lab.d2c.workers.training.ModelWeights;
import lab.d2c.workflows.node.NodeResult;

/** Opens the feature extractor an arm's {@code eval} section names, for reference-stats and evaluate. */
final class Extractors {

    private Extractors() {
    }

    /** The metric-name suffix of the dataset classifier: {@code fmnist-cls}, {@code shapes-cls}. */
    static String classifierName(String dataset) {
        return (dataset.equals("fashion-mnist") ? "fmnist" : dataset) + "-cls";
    }

    /**
     * The extractor: the trained classifier of input {@code classifier}, or the TorchScript
     * Inception from {@code eval.inception_file} (inside the worker's file roots) or the artifact
     * {@code eval.inception_key}.
     */
    static FeatureExtractor open(NodeContext ctx, String dataset, NDManager manager) throws IOException {
        String kind = ctx.required("eval.extractor").asText();
        if (kind.equals("classifier")) {
            NodeResult trained = ctx.task().input("classifier");
            ImageClassifier model = new ImageClassifier(ModelWeights.config(trained, ClassifierConfig.class));
            ModelWeights.load(ctx.artifacts(), trained, model, manager);
            return new ClassifierFeatures(model, classifierName(dataset));
        }
        TorchScriptInception.InputRange range =
                TorchScriptInception.InputRange.parse(ctx.required("eval.inception_input_range").asText());
        String file = text(ctx, "eval.inception_file");
        String key = text(ctx, "eval.inception_key");
        if (file != null) {
            return TorchScriptInception.load(ctx.fileRoots().resolve("eval.inception_file", file), range, "inception");
        }
        if (key == null) {
            throw new BadNodeInputException("eval.extractor: inception needs eval.inception_file or eval.inception_key");
        }
        Path local = Files.createTempFile("d2c-inception-", ".pt");
        try {
            ctx.artifacts().download(key, local);
            return TorchScriptInception.load(local, range, "inception");
        } finally {
            Files.deleteIfExists(local);
        }
    }

    private static String text(NodeContext ctx, String key) {
        var node = ctx.config().at("/" + key.replace('.', '/'));
        return node.isTextual() && !node.asText().isBlank() ? node.asText() : null;
    }
}
