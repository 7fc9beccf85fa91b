package lab.d2c.model.stage1;

import java.util.Arrays;
import lab.d2c.config.stage1.SamplingSettings;

/**
 * One token from one row of logits, in LlamaGen's order: divide by the temperature, keep the top
 * k, keep the nucleus of probability top p (the most likely token always stays), softmax, and
 * invert the cumulative distribution at a uniform draw. In Java and in double precision: the
 * rows are small, and a given (logits, u) always gives the same token on every device.
 */
public final class LogitsSampler {

    private LogitsSampler() {
    }

    /** Guided logits: uncond + scale x (cond - uncond), in place in {@code cond}. */
    public static void guide(float[] cond, float[] uncond, double scale) {
        for (int i = 0; i < cond.length; i++) {
            cond[i] = (float) (uncond[i] + (cond[i] - uncond[i]) * scale);
        }
    }

    /**
     * @param logits the row's logits (left unchanged)
     * @param u      a uniform draw in [0, 1)
     * @return a token id in [0, logits.length)
     */
    public static int sample(float[] logits, SamplingSettings s, double u) {
        double[] p = probabilities(logits, s);
        double cumulative = 0;
        int last = -1;
        for (int i = 0; i < p.length; i++) {
            if (p[i] > 0) {
                cumulative += p[i];
                last = i;
                if (u < cumulative) {
                    return i;
                }
            }
        }
        return last;
    }

    /** The distribution {@link #sample} draws from. */
    public static double[] probabilities(float[] logits, SamplingSettings s) {
        int v = logits.length;
        double[] z = new double[v];
        for (int i = 0; i < v; i++) {
            z[i] = logits[i] / s.temperature();
        }
        boolean[] keep = new boolean[v];
        Arrays.fill(keep, true);
        if (s.topK() > 0 && s.topK() < v) {
            double kth = kthLargest(z, s.topK());
            for (int i = 0; i < v; i++) {
                keep[i] = z[i] >= kth;
            }
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < v; i++) {
            if (keep[i]) {
                max = Math.max(max, z[i]);
            }
        }
        double[] p = new double[v];
        double sum = 0;
        for (int i = 0; i < v; i++) {
            if (keep[i]) {
                p[i] = Math.exp(z[i] - max);
                sum += p[i];
            }
        }
        for (int i = 0; i < v; i++) {
            p[i] /= sum;
        }
        if (s.topP() < 1) {
            nucleus(p, s.topP());
        }
        return p;
    }

    /** Zeroes every token after the most likely ones whose probability first exceeds topP, then renormalizes. */
    private static void nucleus(double[] p, double topP) {
        Integer[] order = new Integer[p.length];
        for (int i = 0; i < p.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> p[b] != p[a] ? Double.compare(p[b], p[a]) : Integer.compare(a, b));
        double cumulative = 0;
        double kept = 0;
        boolean cut = false;
        for (Integer i : order) {
            if (cut) {
                p[i] = 0;
                continue;
            }
            cumulative += p[i];
            kept += p[i];
            // LlamaGen removes a token when the mass before it already exceeds top p.
            cut = cumulative > topP;
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= kept;
        }
    }

    private static double kthLargest(double[] z, int k) {
        double[] sorted = z.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length - k];
    }
}
