package lab.d2c.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Map;

/**
 * What the training loop needs from a model. The loop owns the optimizer, EMA, clipping,
 * checkpoints and data order; the model owns its forward pass and loss.
 */
public interface TrainableModel {

    /** The network. The loop initializes it with {@link #initShapes()} and trains its parameters. */
    Block block();

    /** Input shapes for {@code block.initialize} (a batch of 1 is enough). */
    Shape[] initShapes();

    /**
     * The training loss of one batch. Called inside the loop's gradient collector; every
     * temporary must live on {@code step} (closed after the step). Every random draw must come
     * from {@code rng}, never from libtorch's global generator, so a resumed run draws the same
     * numbers (docs/djl-pitfalls.md, pitfall 11). Scalar constants must be NDArrays (pitfall 1).
     *
     * @param step  per-step manager
     * @param batch the batch, as the data source produced it
     * @param rng   draws derived from (run seed, step)
     */
    StepLoss loss(NDManager step, NDList batch, StepRandom rng);

    /**
     * Figures of a held-out batch beside its loss, each a scalar averaged over the batch's items (e.g. RDPM's
     * KL between its conditional and unconditional predictions); none by default. Called outside the gradient
     * collector with the held-out evaluation's draws ({@link HeldOutLoss}); temporaries live on {@code step}.
     */
    default Map<String, NDArray> heldOutMetrics(NDManager step, NDList batch, StepRandom rng) {
        return Map.of();
    }

    /** Runs after each optimizer step, outside the gradient collector (e.g. VQ dead-code re-init). */
    default void afterStep(NDManager step, long stepIndex, StepRandom rng) {
    }

    /** Writes state that is not a parameter but must survive a resume (e.g. code usage counters). */
    default void saveState(DataOutputStream out) throws IOException {
    }

    /** Reads what {@link #saveState} wrote. */
    default void loadState(NDManager manager, DataInputStream in) throws IOException {
    }
}
