package lab.d2c.workers.stage2;

import static lab.d2c.workers.training.TrainingSettings.build;
import static lab.d2c.workers.training.TrainingSettings.integer;

import lab.d2c.model.stage2.DiscretePositions;
import lab.d2c.model.stage2.FusionKind;
import lab.d2c.model.stage2.HybridConfig;
import lab.d2c.model.stage2.HybridSamplingSettings;
import lab.d2c.workers.node.NodeContext;
import lab.d2c.workers.pretokenize.TokenManifest;

/** Reads the {@code stage2} and {@code stage2.sample} config sections into model-lib's records. */
public final class Stage2Settings {

    private Stage2Settings() {
    }

    public static FusionKind fusion(NodeContext ctx) {
        return build("stage2", () -> FusionKind.of(ctx.required("stage2.fusion").asText()));
    }

    /**
     * The model for the pretokenized data: grid, channels and codes from the tokens, classes from
     * the dataset; the discrete embedding as wide as stage one's table.
     */
    public static HybridConfig model(NodeContext ctx, TokenManifest tokens, int discreteWidth) {
        String p = "stage2.";
        FusionKind fusion = fusion(ctx);
        return build("stage2", () -> new HybridConfig(tokens.grid(), tokens.latentChannels(),
                tokens.classNames().size(), tokens.codebookSize(), integer(ctx, p + "encoder_width"),
                integer(ctx, p + "encoder_depth"), integer(ctx, p + "encoder_heads"), integer(ctx, p + "decoder_width"),
                integer(ctx, p + "decoder_depth"), integer(ctx, p + "decoder_heads"), number(ctx, p + "mlp_ratio"),
                integer(ctx, p + "buffer_size"), fusion, integer(ctx, p + "queries"), integer(ctx, p + "qformer_depth"),
                discreteWidth, number(ctx, p + "mask_ratio_min"), number(ctx, p + "class_dropout"),
                number(ctx, p + "discrete_dropout"), number(ctx, p + "attention_dropout"),
                number(ctx, p + "projection_dropout"), integer(ctx, p + "head_width"), integer(ctx, p + "head_depth"),
                integer(ctx, p + "diffusion_batch_mul"), ctx.required(p + "noise_schedule").asText(),
                integer(ctx, p + "sampling_steps"),
                DiscretePositions.of(ctx.required(p + "discrete_positions").asText()),
                ctx.required(p + "learn_sigma").asBoolean()));
    }

    public static HybridSamplingSettings sampling(NodeContext ctx) {
        String p = "stage2.sample.";
        return build("stage2.sample", () -> new HybridSamplingSettings(integer(ctx, p + "steps"),
                number(ctx, p + "guidance_scale"), ctx.required(p + "guidance_schedule").asText(),
                number(ctx, p + "temperature"), number(ctx, p + "x0_clip")));
    }

    static double number(NodeContext ctx, String key) {
        return ctx.required(key).asDouble();
    }
}
