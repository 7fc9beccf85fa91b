package lab.d2c.model.stage2.fusion;

import lab.d2c.config.stage2.HybridConfig;

/** The {@link Fusion} of a configuration's {@link lab.d2c.config.stage2.FusionKind}. */
public final class Fusions {

    private Fusions() {
    }

    /**
     * The fusion {@code config.fusion()} names, its blocks and parameters registered on {@code model}
     * (which calls this after its class embedding and fake class, before its token projection).
     */
    public static Fusion create(HybridConfig config, Fusion.Registrar model) {
        return switch (config.fusion()) {
            case NONE -> new NoFusion();
            case CROSS_ATTENTION -> new CrossAttentionFusion(config, model);
            case Q_FORMER -> new QFormerFusion(config, model);
            case Q_FORMER_DECODER -> new QFormerDecoderFusion(config, model);
            case DISCON -> new DisconFusion(config, model);
        };
    }
}
