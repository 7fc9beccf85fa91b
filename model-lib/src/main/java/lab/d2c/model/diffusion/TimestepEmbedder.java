package lab.d2c.model.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import lab.d2c.model.nn.Dense;
import lab.d2c.model.nn.StepArrays;
import lab.d2c.model.nn.Silu;

/**
 * Timesteps to vectors (MAR's / DiT's {@code TimestepEmbedder}): the sinusoidal features
 * [cos(t f_k), sin(t f_k)], f_k = 10000^(-k / half), then Linear, SiLU, Linear. The sinusoid is
 * computed in Java from the integer steps (no gradient flows into it).
 */
public final class TimestepEmbedder extends AbstractBlock {

    /** The sinusoid's width (DiT's {@code frequency_embedding_size}). */
    public static final int FREQUENCIES = 256;

    private static final double MAX_PERIOD = 10000;

    private final Linear first;
    private final Linear second;

    public TimestepEmbedder(int width) {
        this.first = addChildBlock("mlp_0", Dense.normal(width, 0.02f));
        this.second = addChildBlock("mlp_2", Dense.normal(width, 0.02f));
    }

    /**
     * The sinusoid rows of steps 0..{@value #TABLE_STEPS}-1, computed once. Training draws a step for
     * every head row (thousands per batch with {@code diffusion_batch_mul}), and computing 3 x 128
     * transcendentals per row in Java took about 100 ms of a tiny stage-two step; a row copy takes microseconds.
     * Row after row, one [{@value #TABLE_STEPS}, {@value #FREQUENCIES}] block.
     */
    private static final int TABLE_STEPS = 1024;

    private static final float[] TABLE = table();

    /**
     * The sinusoidal features [N, {@value #FREQUENCIES}] of steps t, created on {@code manager}.
     *
     * <p>With more rows than the table has (training: one step per head row, 16,384 rows per tiny batch) the
     * table goes to the manager and the rows are gathered there: the copies are the same floats, but the
     * host side moves 1 MiB and N longs instead of an N x 1 KiB array (16 MiB at tiny, 3 copies of it on
     * the way to libtorch, and a humongous allocation for the JVM's collector every step).
     */
    public static NDArray sinusoid(NDManager manager, int[] t) {
        if (t.length > TABLE_STEPS && inTable(t)) {
            long[] index = new long[t.length];
            for (int n = 0; n < t.length; n++) {
                index[n] = t[n];
            }
            try (NDManager scratch = manager.newSubManager()) {
                NDArray table = scratch.create(TABLE, new Shape(TABLE_STEPS, FREQUENCIES));
                NDArray rows = table.get(scratch.create(index));
                rows.attach(manager);
                return rows;
            }
        }
        float[] v = new float[t.length * FREQUENCIES];
        for (int n = 0; n < t.length; n++) {
            int step = t[n];
            if (step >= 0 && step < TABLE_STEPS) {
                System.arraycopy(TABLE, step * FREQUENCIES, v, n * FREQUENCIES, FREQUENCIES);
            } else {
                System.arraycopy(row(step), 0, v, n * FREQUENCIES, FREQUENCIES);
            }
        }
        return manager.create(v, new Shape(t.length, FREQUENCIES));
    }

    /** One step's features [cos(t f_k) for k < half, then sin(t f_k)] with f_k = 10000^(-k / half). */
    static float[] row(int step) {
        int half = FREQUENCIES / 2;
        float[] v = new float[FREQUENCIES];
        for (int k = 0; k < half; k++) {
            // freq is rounded to float first, as torch.exp gives it in float32 (MAR's diffloss.py)
            double freq = Math.exp(-Math.log(MAX_PERIOD) * k / half);
            double arg = step * (double) (float) freq;
            v[k] = (float) Math.cos(arg);
            v[half + k] = (float) Math.sin(arg);
        }
        return v;
    }

    private static boolean inTable(int[] t) {
        for (int step : t) {
            if (step < 0 || step >= TABLE_STEPS) {
                return false;
            }
        }
        return true;
    }

    private static float[] table() {
        float[] rows = new float[TABLE_STEPS * FREQUENCIES];
        for (int step = 0; step < TABLE_STEPS; step++) {
            System.arraycopy(row(step), 0, rows, step * FREQUENCIES, FREQUENCIES);
        }
        return rows;
    }

    /** Input: the sinusoid [N, {@value #FREQUENCIES}]; output [N, width]. */
    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray h = first.forward(store, inputs, training).singletonOrThrow();
        NDArray active = Silu.apply(h);
        NDList out = second.forward(store, new NDList(active), training);
        StepArrays.release(h, active);
        return out;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        first.initialize(manager, dataType, inputShapes[0]);
        second.initialize(manager, dataType, first.getOutputShapes(inputShapes)[0]);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return second.getOutputShapes(first.getOutputShapes(inputShapes));
    }
}
