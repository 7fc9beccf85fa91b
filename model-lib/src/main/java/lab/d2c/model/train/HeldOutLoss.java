package lab.d2c.model.train;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * The mean training loss of a model on held-out items, without gradients. A model's loss is
 * stochastic (masks, diffusion t and noise, dropout); here every draw comes from
 * {@code new StepRandom(SEED, chunk)}, the same at every evaluation, so the value is a
 * deterministic function of the weights (a resumed run reproduces it) and two evaluations differ
 * only by what training changed. Its draws never touch the training step's: those derive from
 * (run seed, step) and are made afresh each step.
 */
public final class HeldOutLoss {

    /** The evaluation draws' seed: fixed, independent of the run seed. */
    public static final long SEED = 0x56414c4c4f5353L;

    private HeldOutLoss() {
    }

    /**
     * The item-weighted mean of {@code model.loss} over {@code items} of {@code data}, in chunks of
     * {@code batchSize} in index order, each on a sub-manager of {@code parent} closed after it.
     */
    public static double mean(TrainableModel model, BatchSource data, int[] items, int batchSize, NDManager parent) {
        if (items.length == 0) {
            throw new IllegalArgumentException("no held-out items to evaluate");
        }
        double sum = 0;
        int chunk = 0;
        for (int from = 0; from < items.length; from += batchSize, chunk++) {
            int[] indices = java.util.Arrays.copyOfRange(items, from, Math.min(items.length, from + batchSize));
            try (NDManager m = parent.newSubManager()) {
                StepLoss out = model.loss(m, data.batch(m, indices), new StepRandom(SEED, chunk));
                float loss = out.loss().toType(DataType.FLOAT32, false).toFloatArray()[0];
                sum += (double) loss * indices.length;
            }
        }
        return sum / items.length;
    }
}
