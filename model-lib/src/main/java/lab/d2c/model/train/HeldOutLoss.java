package lab.d2c.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.LinkedHashMap;
import java.util.Map;

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

    /**
     * One evaluation: the loss and the model's {@link TrainableModel#heldOutMetrics}, each the item-weighted mean
     * over the held-out items.
     */
    public record Result(double loss, Map<String, Double> metrics) {
    }

    private HeldOutLoss() {
    }

    /**
     * The item-weighted mean of {@code model.loss} over {@code items} of {@code data}, in chunks of
     * {@code batchSize} in index order, each on a sub-manager of {@code parent} closed after it.
     */
    public static double mean(TrainableModel model, BatchSource data, int[] items, int batchSize, NDManager parent) {
        return evaluate(model, data, items, batchSize, parent).loss();
    }

    /**
     * {@link #mean} and the model's held-out metrics in the same pass; each chunk's metrics get the same draws as its
     * loss ({@code new StepRandom(SEED, chunk)} afresh), so they describe the predictions the loss scored.
     */
    public static Result evaluate(TrainableModel model, BatchSource data, int[] items, int batchSize,
            NDManager parent) {
        if (items.length == 0) {
            throw new IllegalArgumentException("no held-out items to evaluate");
        }
        double sum = 0;
        Map<String, Double> sums = new LinkedHashMap<>();
        int chunk = 0;
        for (int from = 0; from < items.length; from += batchSize, chunk++) {
            int[] indices = java.util.Arrays.copyOfRange(items, from, Math.min(items.length, from + batchSize));
            try (NDManager m = parent.newSubManager()) {
                var batch = data.batch(m, indices);
                StepLoss out = model.loss(m, batch, new StepRandom(SEED, chunk));
                sum += (double) scalar(out.loss()) * indices.length;
                for (Map.Entry<String, NDArray> e : model.heldOutMetrics(m, batch, new StepRandom(SEED, chunk))
                        .entrySet()) {
                    sums.merge(e.getKey(), (double) scalar(e.getValue()) * indices.length, Double::sum);
                }
            }
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        sums.forEach((name, total) -> metrics.put(name, total / items.length));
        return new Result(sum / items.length, metrics);
    }

    private static float scalar(NDArray value) {
        return value.toType(DataType.FLOAT32, false).toFloatArray()[0];
    }
}
