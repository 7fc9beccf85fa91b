package lab.d2c.model.diffusion;

import java.util.SplittableRandom;

/** Standard normal draws from a Java generator (Box-Muller, one value per call, the sine half unused). */
final class Gaussians {

    private Gaussians() {
    }

    static double next(SplittableRandom r) {
        double u1 = 1.0 - r.nextDouble();
        double u2 = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
