package lab.d2c.workers.tokenizer;

import static lab.d2c.workers.training.TrainingSettings.build;
import static lab.d2c.workers.training.TrainingSettings.integer;

import java.util.ArrayList;
import java.util.List;
import lab.d2c.model.tokenizer.KlLossReduction;
import lab.d2c.model.tokenizer.KlVaeConfig;
import lab.d2c.model.tokenizer.VqConfig;
import lab.d2c.workers.dataset.DatasetManifest;
import lab.d2c.workers.node.BadNodeInputException;
import lab.d2c.workers.node.NodeContext;

/** Reads the {@code vq} and {@code vae} config sections into model-lib's records. */
public final class TokenizerSettings {

    private TokenizerSettings() {
    }

    /** The VQ tokenizer for the dataset's images. */
    public static VqConfig vq(NodeContext ctx, DatasetManifest data) {
        return build("vq", () -> new VqConfig(data.imageSize(), data.channels(), integer(ctx, "vq.base_width"),
                widths(ctx, "vq.width_multipliers"), integer(ctx, "vq.res_blocks"), integer(ctx, "vq.z_channels"),
                integer(ctx, "vq.codebook_size"), integer(ctx, "vq.code_dim"),
                ctx.required("vq.commitment_beta").asDouble(), integer(ctx, "vq.usage_window"),
                integer(ctx, "vq.dead_code_min_count"), integer(ctx, "vq.reinit_interval"),
                ctx.required("vq.perceptual_loss").asBoolean(), ctx.required("vq.adversarial_loss").asBoolean()));
    }

    /** The KL-VAE for the dataset's images. */
    public static KlVaeConfig vae(NodeContext ctx, DatasetManifest data) {
        return build("vae", () -> new KlVaeConfig(data.imageSize(), data.channels(), integer(ctx, "vae.base_width"),
                widths(ctx, "vae.width_multipliers"), integer(ctx, "vae.res_blocks"),
                integer(ctx, "vae.latent_channels"), ctx.required("vae.kl_weight").asDouble(),
                lossReduction(ctx), ctx.required("vae.perceptual_loss").asBoolean(), ctx.required("vae.adversarial_loss").asBoolean()));
    }

    /** {@code vae.loss_reduction}: ldm or mean. */
    private static KlLossReduction lossReduction(NodeContext ctx) {
        String name = ctx.required("vae.loss_reduction").asText();
        try {
            return KlLossReduction.parse(name);
        } catch (IllegalArgumentException e) {
            throw new BadNodeInputException("vae.loss_reduction: must be ldm or mean, got '" + name + "'");
        }
    }

    /** "1,2,4" to [1, 2, 4]; every entry a positive integer. */
    public static List<Integer> widths(NodeContext ctx, String key) {
        String text = ctx.required(key).asText();
        List<Integer> out = new ArrayList<>();
        for (String part : text.split(",")) {
            try {
                int w = Integer.parseInt(part.trim());
                if (w < 1) {
                    throw new NumberFormatException();
                }
                out.add(w);
            } catch (NumberFormatException e) {
                throw new BadNodeInputException(key + ": expected comma-separated positive integers like '1,2,4', got '"
                        + text + "'");
            }
        }
        return out;
    }
}
