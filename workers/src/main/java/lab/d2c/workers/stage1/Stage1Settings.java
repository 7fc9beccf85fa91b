package lab.d2c.workers.stage1;

import static lab.d2c.workers.training.TrainingSettings.build;

import lab.d2c.config.stage1.DiscreteArConfig;
import lab.d2c.config.stage1.SamplingSettings;
import lab.d2c.workers.node.NodeContext;
import lab.d2c.workers.pretokenize.TokenManifest;

/**
 * The {@code stage1} and {@code stage1.sample} config sections as model-config's records (the
 * records' factories read the keys; the spec checks call the same factories at submission).
 */
public final class Stage1Settings {

    private Stage1Settings() {
    }

    /** The model for the pretokenized data: vocabulary and grid from the VQ tokens, classes from the dataset. */
    public static DiscreteArConfig model(NodeContext ctx, TokenManifest tokens) {
        return build("stage1", () -> DiscreteArConfig.fromConfig(ctx.config(), tokens.codebookSize(), tokens.grid(),
                tokens.classNames().size()));
    }

    public static SamplingSettings sampling(NodeContext ctx) {
        return build("stage1.sample", () -> SamplingSettings.fromConfig(ctx.config()));
    }
}
