package lab.d2c.model.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import lab.d2c.model.nn.StepArrays;

/**
 * The variance half of a head that learns its variance, as MAR configures it: {@code DiffLoss}
 * builds {@code SimpleMLPAdaLN} with {@code out_channels = 2 * target_channels} "for vlb loss"
 * (LTH14/mar {@code models/diffloss.py} line 17), and {@code create_diffusion} defaults to
 * {@code learn_sigma=True} (variance type LEARNED_RANGE), {@code rescale_learned_sigmas=False} (so
 * loss type MSE, not RESCALED_MSE) and {@code predict_xstart=False} ({@code diffusion/__init__.py}
 * lines 11-47).
 *
 * <ul>
 *   <li>{@link #logVariance}: LEARNED_RANGE. The head's value v in [-1, 1] picks the log-variance
 *       between the posterior variance (v = -1) and beta_t (v = 1) of the schedule in use
 *       ({@code GaussianDiffusion.p_mean_variance}, {@code diffusion/gaussian_diffusion.py} lines
 *       285-293; openai/guided-diffusion {@code guided_diffusion/gaussian_diffusion.py} lines 269-276).</li>
 *   <li>{@link #bits}: the variational-bound term of the hybrid loss, per row in bits
 *       ({@code _vb_terms_bpd}, lines 686-717): KL(q(x_{t-1} | x_t, x_0) || p(x_{t-1} | x_t)) for
 *       t > 0, the discretized Gaussian decoder NLL of x_0 at t = 0, each averaged over the channels
 *       and divided by ln 2. The model's mean comes from a stop-gradient noise prediction
 *       ({@code training_losses}' {@code frozen_out}, line 762), so the term trains the variance
 *       only; with loss type MSE and T = 1000 it is added to the noise MSE unscaled (lines 770-785).</li>
 * </ul>
 *
 * <p>The decoder NLL assumes data in [-1, 1] on 256 levels. MAR applies it unchanged to its
 * continuous VAE latents (its {@code DiffLoss} calls guided-diffusion's {@code training_losses} on
 * the latent tokens), and so does this class: it enters only at t = 0 (one draw in T) and only
 * trains the variance there.
 */
public final class LearnedVariance {

    private LearnedVariance() {
    }

    /**
     * LEARNED_RANGE: frac max + (1 - frac) min with frac = (v + 1) / 2, elementwise.
     *
     * @param v      the head's variance outputs
     * @param minLog the log posterior variance (clipped), broadcastable to v
     * @param maxLog log beta, broadcastable to v
     */
    public static NDArray logVariance(NDArray v, NDArray minLog, NDArray maxLog) {
        NDArray one = StepArrays.scalar(v, 1);
        NDArray frac = v.add(one).mul(StepArrays.scalar(v, 0.5));
        return frac.mul(maxLog).add(one.sub(frac).mul(minLog));
    }

    /**
     * The variational-bound term per row, in bits.
     *
     * @param schedule the training diffusion: every training step kept, so index i is step t (MAR's
     *                 {@code train_diffusion} is {@code create_diffusion(timestep_respacing="")}, a
     *                 {@code SpacedDiffusion} over all T steps)
     * @param x0       clean tokens [N, C]
     * @param xt       their diffused versions [N, C]
     * @param eps      the head's noise prediction [N, C], detached by the caller
     * @param v        the head's variance outputs [N, C], with gradient
     * @param t        one step per row
     * @return [N]: the decoder NLL where t = 0, the KL elsewhere
     */
    public static NDArray bits(RespacedSchedule schedule, NDArray x0, NDArray xt, NDArray eps, NDArray v, int[] t) {
        int rows = t.length;
        float[] fromX = new float[rows];
        float[] fromEps = new float[rows];
        float[] meanX0 = new float[rows];
        float[] meanX = new float[rows];
        float[] minLog = new float[rows];
        float[] maxLog = new float[rows];
        boolean[] first = new boolean[rows];
        for (int i = 0; i < rows; i++) {
            int s = t[i];
            if (schedule.timestep(s) != s) {
                throw new IllegalArgumentException("the vb term needs the training schedule with every step kept");
            }
            fromX[i] = (float) schedule.x0FromX(s);
            fromEps[i] = (float) schedule.x0FromEps(s);
            meanX0[i] = (float) schedule.meanX0(s);
            meanX[i] = (float) schedule.meanX(s);
            minLog[i] = (float) schedule.logPosteriorVariance(s);
            maxLog[i] = (float) schedule.logBeta(s);
            first[i] = s == 0;
        }
        NDManager m = x0.getManager();
        NDArray a = column(m, fromX, x0);
        NDArray b = column(m, fromEps, x0);
        NDArray c0 = column(m, meanX0, x0);
        NDArray ct = column(m, meanX, x0);
        NDArray low = column(m, minLog, x0);
        NDArray high = column(m, maxLog, x0);

        // the stop-gradient mean: the x_0 predicted from eps, then the posterior mean it implies
        NDArray predictedX0 = xt.mul(a).add(eps.mul(b));
        NDArray modelMean = predictedX0.mul(c0).add(xt.mul(ct));
        NDArray trueMean = x0.mul(c0).add(xt.mul(ct));
        NDArray modelLogVariance = logVariance(v, low, high);
        NDArray ln2 = StepArrays.scalar(x0, Math.log(2.0));

        NDArray kl = Gaussians.normalKl(trueMean, low, modelMean, modelLogVariance).mean(new int[] {1}).div(ln2);
        NDArray logLikelihood = Gaussians.discretizedLogLikelihood(x0, modelMean,
                modelLogVariance.mul(StepArrays.scalar(x0, 0.5)));
        NDArray decoderNll = logLikelihood.mean(new int[] {1}).neg().div(ln2);
        NDArray atFirst = m.create(first).toDevice(x0.getDevice(), false);
        return NDArrays.where(atFirst, decoderNll, kl);
    }

    /** [rows, 1] on the device of {@code like}. */
    private static NDArray column(NDManager m, float[] v, NDArray like) {
        return m.create(v, new Shape(v.length, 1)).toDevice(like.getDevice(), false);
    }
}
