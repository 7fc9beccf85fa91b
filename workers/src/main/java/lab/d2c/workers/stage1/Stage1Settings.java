package lab.d2c.workers.stage1;

import static lab.d2c.workers.training.TrainingSettings.build;
import static lab.d2c.workers.training.TrainingSettings.integer;

import lab.d2c.model.stage1.DiscreteArConfig;
import lab.d2c.model.stage1.SamplingSettings;
import lab.d2c.workers.node.NodeContext;
import lab.d2c.workers.pretokenize.TokenManifest;

/** Reads the {@code stage1} and {@code stage1.sample} config sections into model-lib's records. */
public final class Stage1Settings {

    private Stage1Settings() {
    }

    /** The model for the pretokenized data: vocabulary and grid from the VQ tokens, classes from the dataset. */
    public static DiscreteArConfig model(NodeContext ctx, TokenManifest tokens) {
        return build("stage1", () -> new DiscreteArConfig(tokens.codebookSize(), tokens.grid(),
                tokens.classNames().size(), integer(ctx, "stage1.width"), integer(ctx, "stage1.depth"),
                integer(ctx, "stage1.heads"), integer(ctx, "stage1.class_tokens"), integer(ctx, "stage1.ffn_multiple_of"),
                number(ctx, "stage1.norm_eps"), number(ctx, "stage1.rope_base"), number(ctx, "stage1.token_dropout"),
                number(ctx, "stage1.resid_dropout"), number(ctx, "stage1.ffn_dropout"),
                number(ctx, "stage1.class_dropout")));
    }

    public static SamplingSettings sampling(NodeContext ctx) {
        String p = "stage1.sample.";
        return build("stage1.sample", () -> new SamplingSettings(number(ctx, p + "temperature"),
                integer(ctx, p + "top_k"), number(ctx, p + "top_p"), number(ctx, p + "guidance_scale"),
                integer(ctx, p + "guidance_tokens")));
    }

    private static double number(NodeContext ctx, String key) {
        return ctx.required(key).asDouble();
    }
}
