package lab.d2c.config.tokenizer;

import java.util.Locale;
import lab.d2c.config.ConfigEnum;

/**
 * How the KL-VAE's loss balances the KL term against the reconstruction ({@code vae.loss_reduction}).
 *
 * <p>LDM (CompVis/latent-diffusion at a506df5, {@code ldm/modules/losses/contperceptual.py}):
 * the reconstruction NLL is summed over every pixel and averaged over the batch (L57), the KL is
 * summed over latent elements ({@code ldm/modules/distributions/distributions.py} L44-46) and
 * averaged over the batch (L60), and loss = nll + kl_weight * kl (L83) with kl_weight = 1e-6
 * ({@code configs/autoencoder/autoencoder_kl_*.yaml} L11). Its {@code logvar} (L20, init 0.0 as no
 * config sets {@code logvar_init}) is in neither optimizer ({@code ldm/models/autoencoder.py}
 * L386-395), so nll = rec loss. Both terms are per-image sums, so kl_weight is a weight per nat
 * against one unit of summed pixel error, whatever the image size.
 *
 * <p>With e = reconstruction error, P = C*H*W pixels per image, B images, w = kl_weight, KL per image:
 * <pre>
 *   LDM:   loss = mean_B( sum_P e^2 + w * KL ) / P  =  mean(e^2) + (w / P) * mean_B(KL)
 *   MEAN:  loss = mean(e^2) + w * mean_B(KL)
 * </pre>
 * LDM is LDM's objective divided by the constant P. That constant changes neither the minimiser
 * nor the balance, and Adam's update is invariant to it (up to eps), so training follows LDM's
 * updates while the gradients stay on the per-pixel scale the presets' {@code vae.train.lr} and
 * {@code clip_norm} were set for. The literal sum would multiply every gradient by P (1,024 on
 * {@code tiny}, 196,608 on {@code b}) and trip the global-norm clip of 1.0 on every step, turning it
 * into per-step gradient normalisation, which LDM does not do (it does not clip): on {@code tiny}
 * the per-pixel gradient norm fell from 8 to 0.1-0.8 within 25 steps and was clipped on 22 of 400
 * steps (docs/models.md, tokenizers).
 *
 * <p>MEAN was this project's loss before: its KL weight is effectively P times LDM's, enough at
 * 256x256x3 for the KL to dominate. Kept selectable.
 *
 * <p>Recorded model configs keep the constant's name ({@code "lossReduction": "LDM"}); configs spell
 * it by {@link #key()}.
 */
public enum KlLossReduction implements ConfigEnum {
    /** LDM's balance: per-image sums of reconstruction and KL, on the per-pixel scale (the default). */
    LDM,
    /** Per-pixel mean reconstruction with a per-image summed KL (the loss before issue 21). */
    MEAN;

    /**
     * The factor on the batch-mean per-image KL when the reconstruction term is the per-pixel mean:
     * {@code klWeight / pixelsPerImage} for LDM, {@code klWeight} for MEAN.
     */
    public double klCoefficient(double klWeight, long pixelsPerImage) {
        if (pixelsPerImage < 1) {
            throw new IllegalArgumentException("pixelsPerImage: must be >= 1, got " + pixelsPerImage);
        }
        return switch (this) {
            case LDM -> klWeight / pixelsPerImage;
            case MEAN -> klWeight;
        };
    }

    /** {@code ldm} or {@code mean}, exactly as configs spell them (no trimming, no case folding). */
    public static KlLossReduction parse(String name) {
        for (KlLossReduction r : values()) {
            if (r.key().equals(name)) {
                return r;
            }
        }
        throw new IllegalArgumentException("loss_reduction: must be " + String.join(" or ", ConfigEnum.keys(
                KlLossReduction.class)) + ", got '" + name + "'");
    }

    /** {@code ldm} or {@code mean}: the constant's name in lower case. */
    @Override
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
