package lab.d2c.model.stage2.fusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import lab.d2c.model.nn.Dense;
import lab.d2c.model.nn.StepArrays;
import lab.d2c.model.nn.TokenEmbedding;
import lab.d2c.model.stage2.DiscreteContext;
import lab.d2c.config.stage2.DiscretePositions;
import lab.d2c.config.stage2.HybridConfig;
import lab.d2c.model.train.StepRandom;

/**
 * The discrete tokens' features every fusion but {@code none} starts from: Eq. 4's
 * h_q = Linear(Embed(q)), projected once to the encoder's width and, for the fusions that also feed the
 * decoder, once to the decoder's; a sample whose discrete tokens are dropped for guidance reads learned
 * fake tokens (one vector per position) instead of the embedded ones (section 5.1); optionally a learned
 * position term per projection ({@link DiscretePositions}). Registered on the model as {@code discrete_emb},
 * {@code fake_discrete}, {@code discrete_proj_encoder}, {@code discrete_proj_decoder},
 * {@code discrete_pos_embed_encoder} and {@code discrete_pos_embed_decoder}.
 */
final class DiscreteFeatures {

    private final HybridConfig config;
    private final TokenEmbedding embedding;
    private final Parameter fake;
    private final Linear toEncoder;
    private final Linear toDecoder;
    private final Parameter encoderPositions;
    private final Parameter decoderPositions;

    /**
     * @param decoderSide whether the features are also projected to the decoder's width
     * @param positions   whether each projection gets a learned position term
     */
    DiscreteFeatures(HybridConfig config, Fusion.Registrar model, boolean decoderSide, boolean positions) {
        this.config = config;
        int n = config.tokens();
        this.embedding = model.addChildBlock("discrete_emb", new TokenEmbedding(config.vocabSize(),
                config.discreteWidth(), HybridConfig.INIT_STD));
        this.fake = model.addLearned("fake_discrete", new Shape(n, config.discreteWidth()));
        this.toEncoder = model.addChildBlock("discrete_proj_encoder", Dense.xavier(config.encoderWidth()));
        this.toDecoder = decoderSide ? model.addChildBlock("discrete_proj_decoder", Dense.xavier(config.decoderWidth()))
                : null;
        // one table per projected width, as MAR keeps one per encoder and decoder
        this.encoderPositions = positions
                ? model.addLearned("discrete_pos_embed_encoder", new Shape(n, config.encoderWidth())) : null;
        this.decoderPositions = positions && decoderSide
                ? model.addLearned("discrete_pos_embed_decoder", new Shape(n, config.decoderWidth())) : null;
    }

    TokenEmbedding embedding() {
        return embedding;
    }

    void initialize(NDManager manager, DataType dataType, Shape ids) {
        embedding.initialize(manager, dataType, ids);
        Shape features = new Shape(ids.get(0), config.tokens(), config.discreteWidth());
        toEncoder.initialize(manager, dataType, features);
        if (toDecoder != null) {
            toDecoder.initialize(manager, dataType, features);
        }
    }

    /** The projected features (queries null): see {@link Fusion#context}. */
    DiscreteContext compute(ParameterStore store, NDArray ids, boolean[] fakeTokens, NDArray like, StepRandom rng) {
        boolean training = rng != null;
        NDArray embedded = embedding.forward(store, new NDList(ids), training).singletonOrThrow();
        NDArray features = StepArrays.blend(embedded, StepArrays.parameter(store, fake, like, training), fakeTokens,
                new Shape(fakeTokens.length, 1, 1));
        NDArray encoder = toEncoder.forward(store, new NDList(features), training).singletonOrThrow();
        NDArray decoder = toDecoder == null ? null
                : toDecoder.forward(store, new NDList(features), training).singletonOrThrow();
        // h_q = Linear(Embed(q)) + P: after the projection, as MAR adds its positions after z_proj; before
        // the cross-attention's keys and values and the Q-Former's encoder, which cannot tell rows apart
        if (encoderPositions != null) {
            encoder = encoder.add(StepArrays.parameter(store, encoderPositions, like, training));
        }
        if (decoderPositions != null) {
            decoder = decoder.add(StepArrays.parameter(store, decoderPositions, like, training));
        }
        return new DiscreteContext(encoder, decoder, null);
    }
}
