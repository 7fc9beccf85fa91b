package lab.d2c.model.stage2.fusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import lab.d2c.model.nn.TokenEmbedding;
import lab.d2c.model.stage2.DiscreteContext;
import lab.d2c.config.stage2.FusionKind;
import lab.d2c.model.train.StepRandom;

/**
 * How stage two reads the discrete tokens (paper section 4.3): one implementation per {@link FusionKind},
 * made by {@link Fusions#create}. The hybrid model ({@link lab.d2c.model.stage2.HybridModel}) is the same
 * MAE for every kind and asks its fusion at each place where the kinds differ: which blocks and parameters
 * it adds to the model, what the discrete tokens contribute ({@link #context}, computed once per sampling
 * run), what fills the buffer slots and the token rows of the encoder's input, what is added to the
 * decoder's input, and what the blocks' cross-attention reads. The defaults are MAR's: a kind overrides
 * only where it differs.
 */
public interface Fusion {

    /**
     * Where a fusion registers its blocks and parameters: on the model itself, under the names and in the
     * order the model always used, so checkpoints keep loading and seeded initialization stays the same.
     */
    interface Registrar {

        /** Adds a child block of the model named {@code name}. */
        <B extends Block> B addChildBlock(String name, B block);

        /** Adds a learned tensor of the model, initialized N(0, 0.02^2) as MAR's embeddings. */
        Parameter addLearned(String name, Shape shape);
    }

    /** Whether every encoder and decoder block has the cross-attention module (Eq. 5-6). MAR's blocks: no. */
    default boolean crossAttention() {
        return false;
    }

    /**
     * Initializes the fusion's child blocks; the model calls it after its class embedding and before its
     * own blocks (its parameters registered here are initialized with the model's own, before any block).
     *
     * @param ids the shape of the model's discrete ids [B, N]
     */
    default void initialize(NDManager manager, DataType dataType, Shape ids) {
    }

    /**
     * The discrete tokens' part of the condition, on the manager of {@code like}.
     *
     * @param ids        discrete ids [B, N] (not read by {@code none})
     * @param fakeTokens per sample, whether its discrete tokens are replaced by the learned fake tokens
     * @param like       an activation whose manager, device and float type the context takes
     * @param rng        the step's draws while training (dropout on), null otherwise
     */
    DiscreteContext context(ParameterStore store, NDArray ids, boolean[] fakeTokens, NDArray like, StepRandom rng);

    /** The encoder's buffer rows [B, buffer, encoderWidth], given the class rows of every slot (MAR: those). */
    default NDArray buffer(NDArray classSlots, DiscreteContext discrete) {
        return classSlots;
    }

    /** The encoder's token rows [B, N, encoderWidth], given the projected continuous tokens (MAR: those). */
    default NDArray encoderTokens(NDArray tokens, DiscreteContext discrete) {
        return tokens;
    }

    /** What the encoder blocks' cross-attention reads [B, N, encoderWidth]; null where they have none. */
    default NDArray encoderContext(DiscreteContext discrete) {
        return null;
    }

    /** The decoder's input rows [B, buffer + N, decoderWidth], given the encoded and mask rows with positions (MAR: those). */
    default NDArray decoderRows(NDArray rows, DiscreteContext discrete) {
        return rows;
    }

    /** What the decoder blocks' cross-attention reads [B, N, decoderWidth]; null where they have none. */
    default NDArray decoderContext(DiscreteContext discrete) {
        return null;
    }

    /** The discrete embedding stage one's table is copied into and frozen (section 5.1); null for {@code none}. */
    default TokenEmbedding discreteEmbedding() {
        return null;
    }

    /** The Q-Former of the Q-Former kinds; null for the others. */
    default QFormer qFormer() {
        return null;
    }
}
