package lab.d2c.workers.tokenizer;

import ai.djl.ndarray.NDManager;
import lab.d2c.config.rdpm.RdpmTokenizerConfig;
import lab.d2c.model.rdpm.RdpmTokenizer;
import lab.d2c.model.tokenizer.KlVae;
import lab.d2c.config.tokenizer.KlVaeConfig;
import lab.d2c.config.tokenizer.VqConfig;
import lab.d2c.model.tokenizer.VqTokenizer;
import lab.d2c.store.artifact.ArtifactStore;
import lab.d2c.workers.training.ModelWeights;
import lab.d2c.workflows.node.NodeResult;

/**
 * The trained tokenizers of a {@code train-vq}, {@code train-vae} or {@code train-rdpm-tokenizer} node, rebuilt from
 * {@link ModelWeights}.
 */
public final class TokenizerWeights {

    private TokenizerWeights() {
    }

    public static VqTokenizer loadVq(ArtifactStore store, NodeResult trained, NDManager manager) {
        VqTokenizer model = new VqTokenizer(ModelWeights.config(trained, VqConfig.class));
        ModelWeights.load(store, trained, model, manager);
        return model;
    }

    public static KlVae loadVae(ArtifactStore store, NodeResult trained, NDManager manager) {
        KlVae model = new KlVae(ModelWeights.config(trained, KlVaeConfig.class));
        ModelWeights.load(store, trained, model, manager);
        return model;
    }

    public static RdpmTokenizer loadRdpm(ArtifactStore store, NodeResult trained, NDManager manager) {
        RdpmTokenizer model = new RdpmTokenizer(ModelWeights.config(trained, RdpmTokenizerConfig.class));
        ModelWeights.load(store, trained, model, manager);
        return model;
    }
}
