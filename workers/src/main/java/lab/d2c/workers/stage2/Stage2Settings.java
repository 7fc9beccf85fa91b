package lab.d2c.workers.stage2;

import static lab.d2c.workers.training.TrainingSettings.build;

import lab.d2c.config.stage2.FusionKind;
import lab.d2c.config.stage2.HybridConfig;
import lab.d2c.config.stage2.HybridSamplingSettings;
import lab.d2c.workers.node.NodeContext;
import lab.d2c.workers.pretokenize.TokenManifest;

/**
 * The {@code stage2} and {@code stage2.sample} config sections as model-config's records, with the
 * sizes the data decides taken from the tokens (the records' factories read the keys; the spec checks
 * call the same factories at submission).
 */
public final class Stage2Settings {

    private Stage2Settings() {
    }

    public static FusionKind fusion(NodeContext ctx) {
        return build("stage2", () -> HybridConfig.fusion(ctx.config()));
    }

    /**
     * The model for the pretokenized data: grid, channels and codes from the tokens, classes from
     * the dataset; the discrete embedding as wide as stage one's table.
     */
    public static HybridConfig model(NodeContext ctx, TokenManifest tokens, int discreteWidth) {
        return build("stage2", () -> HybridConfig.fromConfig(ctx.config(), tokens.grid(), tokens.latentChannels(),
                tokens.classNames().size(), tokens.codebookSize(), discreteWidth));
    }

    public static HybridSamplingSettings sampling(NodeContext ctx) {
        return build("stage2.sample", () -> HybridSamplingSettings.fromConfig(ctx.config()));
    }
}
