package lab.d2c.model.rdpm;

import java.util.SplittableRandom;

/**
 * The choice of one code from one position's logits (arXiv:2412.18390, Eq. 8, after MaskGIT): C = argmax(v tau -
 * log(-log u)), u ~ U(0, 1) per code. By the Gumbel-max trick this draws code k with probability softmax(v tau)_k:
 * tau multiplies the logits, so a large tau is the plain argmax and a small one a near-uniform choice. In Java and
 * double precision, as {@code stage1.LogitsSampler}: a given (logits, draws) gives the same code on every device.
 */
public final class GumbelArgmax {

    private GumbelArgmax() {
    }

    /**
     * Eq. 8 over {@code v[offset .. offset + codes)}; draws {@code codes} uniforms from {@code random}, in code order.
     */
    public static int choose(double[] v, int offset, int codes, double tau, SplittableRandom random) {
        int best = 0;
        double bestValue = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < codes; k++) {
            double u = random.nextDouble();
            // u = 0 gives -inf: never chosen, as torch's -log(-log(0)) would
            double value = v[offset + k] * tau - Math.log(-Math.log(u));
            if (value > bestValue) {
                bestValue = value;
                best = k;
            }
        }
        return best;
    }

    /** The first largest of {@code v[offset .. offset + codes)} (the choice without Gumbel noise, Table 3 rows 1-3). */
    public static int argmax(double[] v, int offset, int codes) {
        int best = 0;
        for (int k = 1; k < codes; k++) {
            if (v[offset + k] > v[offset + best]) {
                best = k;
            }
        }
        return best;
    }
}
