package lab.d2c.model.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.SplittableRandom;
import lab.d2c.model.nn.StepArrays;
import lab.d2c.model.train.StepRandom;

/**
 * The per-token diffusion loss and its sampler (MAR's {@code DiffLoss}; paper Eq. 2): training
 * draws t uniformly from the T steps and eps ~ N(0, I), forms x_t = sqrt(alphaBar_t) x_0 +
 * sqrt(1 - alphaBar_t) eps and regresses the head's noise output on eps (MSE per token, averaged
 * over the tokens the mask selects). Sampling runs the DDPM reverse process over a
 * {@link RespacedSchedule} from x ~ N(0, I), MAR's temperature scaling the noise added at each step
 * (not the start), and classifier-free guidance on eps: eps_u + w (eps_c - eps_u) (paper section 5.1).
 *
 * <p>Variances: a head that learns them ({@link DiffusionHead#learnsSigma}, MAR's choice) adds the
 * variational-bound term to each token's MSE (guided-diffusion's hybrid loss, loss type MSE:
 * {@link LearnedVariance#bits}) and samples with the LEARNED_RANGE variance of the respaced betas;
 * under guidance the variance of the conditional rows is used (MAR's {@code forward_with_cfg} guides
 * the noise half only and passes the variance half through; {@code mar.py} keeps the conditional
 * half of the samples). A head that does not uses the fixed small variance (the posterior
 * variance, {@link RespacedSchedule#sigma}).
 */
public final class DiffusionLoss extends AbstractBlock {

    private final DiffusionHead head;
    private final NoiseSchedule schedule;
    private final RespacedSchedule sampling;
    private final RespacedSchedule training;

    /**
     * @param schedule      the training schedule (T steps)
     * @param samplingSteps reverse steps when sampling (MAR's {@code num_sampling_steps}, 100)
     */
    public DiffusionLoss(DiffusionHead head, NoiseSchedule schedule, int samplingSteps) {
        this.head = addChildBlock("net", head);
        this.schedule = schedule;
        this.sampling = schedule.respaced(samplingSteps);
        this.training = schedule.respaced(schedule.steps());
    }

    public DiffusionHead head() {
        return head;
    }

    public NoiseSchedule schedule() {
        return schedule;
    }

    public RespacedSchedule sampling() {
        return sampling;
    }

    /**
     * x_t = sqrt(alphaBar_t) x0 + sqrt(1 - alphaBar_t) eps, row by row (q(x_t | x_0), DDPM Eq. 4).
     *
     * @param x0  clean tokens [N, C]
     * @param t   one step per row
     * @param eps noise [N, C]
     */
    public NDArray diffuse(NDArray x0, int[] t, NDArray eps) {
        float[] signal = new float[t.length];
        float[] noise = new float[t.length];
        for (int i = 0; i < t.length; i++) {
            signal[i] = (float) Math.sqrt(schedule.alphaBar(t[i]));
            noise[i] = (float) Math.sqrt(1 - schedule.alphaBar(t[i]));
        }
        NDManager m = x0.getManager();
        NDArray a = m.create(signal, new Shape(t.length, 1)).toDevice(x0.getDevice(), false);
        NDArray b = m.create(noise, new Shape(t.length, 1)).toDevice(x0.getDevice(), false);
        return x0.mul(a).add(eps.mul(b));
    }

    /**
     * The training loss: mean over the selected rows of mean_c (eps - eps_theta(x_t | t, z))^2, plus,
     * when the head learns its variance, the row's variational-bound term in bits.
     *
     * @param target clean tokens [N, C]
     * @param z      conditions [N, Cz]
     * @param mask   1 for rows that count, 0 otherwise ([N]), or null for all rows
     * @param rng    the step's draws (t and eps come from it)
     */
    public NDArray loss(ParameterStore store, NDArray target, NDArray z, NDArray mask, StepRandom rng) {
        int rows = Math.toIntExact(target.getShape().get(0));
        int[] t = steps(rng, rows);
        NDArray eps = rng.normal(target.getManager(), target.getShape(), "diffusion/eps")
                .toDevice(target.getDevice(), false);
        NDArray perRow = perRow(store, target, z, t, eps);
        if (mask == null) {
            return perRow.mean();
        }
        return perRow.mul(mask).sum().div(mask.sum());
    }

    /**
     * The same loss computed on the selected rows alone: {@code target} and {@code z} hold only the rows that
     * count, row j being row {@code kept[j]} of the {@code drawnRows} rows the masked form would run. Each
     * row gets the t and eps that row would have drawn there, so the value is that form's (its masked mean is
     * the mean over these rows) and the gradients are too, up to rounding; the head runs on fewer rows. MAR
     * runs the head on every row and lets the mask zero the rest ({@code models/mar.py} {@code forward_loss};
     * {@code models/diffloss.py} {@code DiffLoss.forward}, line 30 at commit 231d76f:
     * {@code (loss * mask).sum() / mask.sum()}); a row the mask zeroes gives no loss and no gradient.
     *
     * @param target    the kept rows' clean tokens [K, C]
     * @param z         the kept rows' conditions [K, Cz]
     * @param kept      for each of the K rows, its index among the drawn rows (ascending)
     * @param drawnRows how many rows the draws of t and eps are made for
     * @param rng       the step's draws
     */
    public NDArray loss(ParameterStore store, NDArray target, NDArray z, int[] kept, int drawnRows, StepRandom rng) {
        int rows = Math.toIntExact(target.getShape().get(0));
        if (kept.length != rows) {
            throw new IllegalArgumentException("loss: " + kept.length + " kept indices for " + rows + " rows");
        }
        int c = Math.toIntExact(target.getShape().get(1));
        int[] all = steps(rng, drawnRows);
        float[] allEps = rng.normalValues(Math.multiplyExact(drawnRows, c), "diffusion/eps");
        int[] t = new int[rows];
        float[] eps = new float[rows * c];
        for (int j = 0; j < rows; j++) {
            t[j] = all[kept[j]];
            System.arraycopy(allEps, kept[j] * c, eps, j * c, c);
        }
        NDArray noise = target.getManager().create(eps, new Shape(rows, c)).toDevice(target.getDevice(), false);
        return perRow(store, target, z, t, noise).mean();
    }

    /** The rows' steps, uniform over the T training steps. */
    private int[] steps(StepRandom rng, int rows) {
        SplittableRandom steps = rng.generator("diffusion/t");
        int[] t = new int[rows];
        for (int i = 0; i < rows; i++) {
            t[i] = steps.nextInt(schedule.steps());
        }
        return t;
    }

    /** Each row's loss [N]: the noise MSE, plus the variational-bound term when the head learns its variance. */
    private NDArray perRow(ParameterStore store, NDArray target, NDArray z, int[] t, NDArray eps) {
        NDArray xt = diffuse(target, t, eps);
        NDArray predicted = head.rowsAtSteps(store, xt, t, z, true);
        if (head.learnsSigma()) {
            NDList halves = predicted.split(2, 1);
            NDArray diff = eps.sub(halves.get(0));
            NDArray mse = diff.mul(diff).mean(new int[] {1});
            // frozen_out: the vb term sees the noise prediction detached, so it trains the variance only
            NDArray vb = LearnedVariance.bits(training, target, xt, halves.get(0).stopGradient(), halves.get(1), t);
            return mse.add(vb);
        }
        NDArray diff = eps.sub(predicted);
        return diff.mul(diff).mean(new int[] {1});
    }

    /**
     * Samples one token per row of the condition.
     *
     * @param z           conditions [N, Cz]; with guidance (scale != 1) the first N/2 rows are
     *                    conditional and the last N/2 the unconditional partners of the same rows
     * @param temperature scales the noise of each reverse step (MAR's temperature)
     * @param scale       guidance scale w; 1 means none
     * @param x0Clip      clips the predicted x_0 to [-x0Clip, x0Clip] at each step; 0 for none
     *                    (see {@link RespacedSchedule} for why)
     * @param rowRandom   per output row, the generator its Gaussian draws come from (rows of one
     *                    image may share one; draws are taken in row order), length N or N/2
     * @return tokens [N or N/2, C]: with guidance, only the conditional rows
     */
    public NDArray sample(ParameterStore store, NDArray z, double temperature, double scale, double x0Clip,
            SplittableRandom[] rowRandom) {
        boolean guided = scale != 1.0;
        int rows = Math.toIntExact(z.getShape().get(0));
        int out = guided ? rows / 2 : rows;
        if (rowRandom.length != out) {
            throw new IllegalArgumentException("sample: " + rowRandom.length + " generators for " + out + " rows");
        }
        int c = head.channels();
        NDManager m = z.getManager();
        NDArray x = gaussian(m, rowRandom, c, 1.0).toDevice(z.getDevice(), false);
        for (int i = sampling.count() - 1; i >= 0; i--) {
            // every row is at the same step: one sinusoid row, embedded once and broadcast over the rows'
            // conditions inside the head (per-row copies cost a third of the head's per-row time on a CPU)
            NDArray tFeatures = TimestepEmbedder.sinusoid(m, new int[] {sampling.timestep(i)})
                    .toDevice(z.getDevice(), false);
            NDArray input = guided ? NDArrays.concat(new NDList(x, x), 0) : x;
            NDArray eps = head.forward(store, new NDList(input, tFeatures, z), false).singletonOrThrow();
            NDArray variance = null;
            if (head.learnsSigma()) {
                NDList halves = eps.split(2, 1);
                eps = halves.get(0);
                variance = guided ? halves.get(1).get(":{}", out) : halves.get(1);
            }
            if (guided) {
                NDArray conditional = eps.get(":{}", out);
                NDArray unconditional = eps.get("{}:", out);
                eps = unconditional.add(conditional.sub(unconditional).mul(StepArrays.scalar(eps, scale)));
            }
            NDArray x0 = x.mul(StepArrays.scalar(x, sampling.x0FromX(i)))
                    .add(eps.mul(StepArrays.scalar(eps, sampling.x0FromEps(i))));
            if (x0Clip > 0) {
                x0 = x0.clip(-x0Clip, x0Clip);
            }
            NDArray next = x0.mul(StepArrays.scalar(x0, sampling.meanX0(i)))
                    .add(x.mul(StepArrays.scalar(x, sampling.meanX(i))));
            if (i > 0 && variance == null) {
                double std = temperature * sampling.sigma(i);
                next = next.add(gaussian(m, rowRandom, c, std).toDevice(z.getDevice(), false));
            } else if (i > 0) {
                // p_sample: mean + exp(0.5 log_variance) * noise * temperature (LTH14/mar
                // diffusion/gaussian_diffusion.py line 419), the log-variance LEARNED_RANGE between the
                // respaced schedule's ends
                NDArray logVariance = LearnedVariance.logVariance(variance,
                        StepArrays.scalar(variance, sampling.logPosteriorVariance(i)),
                        StepArrays.scalar(variance, sampling.logBeta(i)));
                NDArray std = logVariance.mul(StepArrays.scalar(variance, 0.5)).exp();
                NDArray noise = gaussian(m, rowRandom, c, 1.0).toDevice(z.getDevice(), false);
                next = next.add(std.mul(noise).mul(StepArrays.scalar(std, temperature)));
            }
            x = next;
        }
        return x;
    }

    /** [rows, channels] draws of N(0, std^2), row r from rowRandom[r], in row order. */
    static NDArray gaussian(NDManager manager, SplittableRandom[] rowRandom, int channels, double std) {
        float[] v = new float[rowRandom.length * channels];
        for (int r = 0; r < rowRandom.length; r++) {
            for (int k = 0; k < channels; k++) {
                v[r * channels + k] = (float) (std * Gaussians.next(rowRandom[r]));
            }
        }
        return manager.create(v, new Shape(rowRandom.length, channels));
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return head.forward(store, inputs, training);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        head.initialize(manager, dataType, inputShapes);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return head.getOutputShapes(inputShapes);
    }
}
