package lab.d2c.workers.tokenizer;

import static lab.d2c.workers.training.TrainingSettings.build;

import java.util.List;
import lab.d2c.config.ConfigException;
import lab.d2c.config.tokenizer.KlVaeConfig;
import lab.d2c.config.tokenizer.VqConfig;
import lab.d2c.config.tokenizer.WidthMultipliers;
import lab.d2c.workers.dataset.DatasetManifest;
import lab.d2c.workers.node.BadNodeInputException;
import lab.d2c.workers.node.NodeContext;

/**
 * The {@code vq} and {@code vae} config sections as model-config's records, with the image's size and
 * channels taken from the dataset (the records' factories read the keys; the spec checks call the same
 * factories at submission).
 */
public final class TokenizerSettings {

    private TokenizerSettings() {
    }

    /** The VQ tokenizer for the dataset's images. */
    public static VqConfig vq(NodeContext ctx, DatasetManifest data) {
        return build("vq", () -> VqConfig.fromConfig(ctx.config(), data.imageSize(), data.channels()));
    }

    /** The KL-VAE for the dataset's images. */
    public static KlVaeConfig vae(NodeContext ctx, DatasetManifest data) {
        return build("vae", () -> KlVaeConfig.fromConfig(ctx.config(), data.imageSize(), data.channels()));
    }

    /** "1,2,4" to [1, 2, 4]; every entry a positive integer (the classifier's widths; the tokenizers' records read theirs). */
    public static List<Integer> widths(NodeContext ctx, String key) {
        ctx.required(key); // a missing key names the node, as every other key the node reads does
        try {
            return WidthMultipliers.parse(ctx.config(), key);
        } catch (ConfigException e) {
            throw new BadNodeInputException(e.getMessage(), e);
        }
    }
}
