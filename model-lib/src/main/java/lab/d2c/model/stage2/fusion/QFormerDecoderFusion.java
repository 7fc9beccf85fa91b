package lab.d2c.model.stage2.fusion;

import lab.d2c.config.stage2.DiscretePositions;
import lab.d2c.config.stage2.HybridConfig;

/**
 * Fusion {@code q-former-decoder}: the decoder-only Q-Former of the architecture ablation (paper section
 * 5.3, the "Decoder" row of Table 3). As {@link QFormerFusion} (Eq. 7, the queries' outputs in the last L
 * buffer slots) without the Q-Former's encoder: the queries cross-attend to the discrete features h_q
 * (Eq. 4, with a learned position term under {@link DiscretePositions#LEARNED}) directly, with no
 * self-attention over them first. The paper finds it worse (FID 2.55 against 2.43 with guidance).
 */
public final class QFormerDecoderFusion extends QFormerFusion {

    QFormerDecoderFusion(HybridConfig config, Fusion.Registrar model) {
        super(config, model, true);
    }
}
