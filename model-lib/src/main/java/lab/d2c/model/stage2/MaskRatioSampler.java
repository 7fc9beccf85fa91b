package lab.d2c.model.stage2;

import java.util.SplittableRandom;

/**
 * The training mask ratio (MAR, after MAGE; paper section 4.2): one draw per batch from a Gaussian
 * centred at 1.0 with std 0.25, truncated to [min, 1.0] (scipy's {@code truncnorm} in MAR), by
 * rejection: a draw is kept when it falls inside the bounds.
 */
public final class MaskRatioSampler {

    public static final double MEAN = 1.0;
    public static final double STD = 0.25;

    private final double min;

    public MaskRatioSampler(double min) {
        if (!(min > 0 && min < 1)) {
            throw new IllegalArgumentException("mask ratio minimum must be in (0, 1), got " + min);
        }
        this.min = min;
    }

    public double min() {
        return min;
    }

    public double draw(SplittableRandom random) {
        while (true) {
            double u1 = 1.0 - random.nextDouble();
            double u2 = random.nextDouble();
            double x = MEAN + STD * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
            if (x >= min && x <= 1.0) {
                return x;
            }
        }
    }

    /** Tokens masked out of {@code length} at ratio r: ceil(length * r), as MAR. */
    public static int maskedCount(int length, double ratio) {
        return (int) Math.ceil(length * ratio);
    }
}
