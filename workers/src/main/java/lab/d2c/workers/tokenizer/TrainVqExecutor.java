package lab.d2c.workers.tokenizer;

import lab.d2c.workers.training.TrainOnImagesExecutor;

import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;
import lab.d2c.model.data.ImageBatches;
import lab.d2c.model.tokenizer.TokenizerEvaluation;
import lab.d2c.model.tokenizer.VqTokenizer;
import lab.d2c.workers.dataset.DatasetManifest;
import lab.d2c.workers.node.NodeContext;
import lab.d2c.workflows.graph.TrainVqNode;

/** {@code train-vq}: the discrete tokenizer; reports test PSNR, codebook usage and perplexity. */
public final class TrainVqExecutor extends TrainOnImagesExecutor<VqTokenizer> {

    @Override
    public String kind() {
        return TrainVqNode.KIND;
    }

    @Override
    protected String section() {
        return "vq";
    }

    @Override
    protected VqTokenizer model(NodeContext ctx, DatasetManifest data) {
        return new VqTokenizer(TokenizerSettings.vq(ctx, data));
    }

    @Override
    protected Object modelConfig(VqTokenizer model) {
        return model.config();
    }

    @Override
    protected Map<String, Double> evaluate(VqTokenizer model, ImageBatches test, NDManager manager) {
        TokenizerEvaluation.VqReport r = TokenizerEvaluation.vq(model, test, EVAL_BATCH, manager);
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("mse", r.mse());
        m.put("psnr", r.psnr());
        m.put("codebook_usage", r.usage());
        m.put("perplexity", r.perplexity());
        return m;
    }
}
