package lab.d2c.model.stage2;

/**
 * How many tokens stay masked after each generation step (MAR's {@code sample_tokens}, after
 * MaskGIT; paper section 5.1: "progressively reduce the masking ratio from 1.0 to 0 with a cosine
 * schedule"): after step s of S, floor(N cos(pi/2 (s+1)/S)) tokens stay masked, at least one fewer
 * than before and at least one until the last step, which predicts all that remain.
 */
public final class MaskSchedule {

    private MaskSchedule() {
    }

    /**
     * Masked tokens left after each step.
     *
     * @param length the sequence length N
     * @param steps  the number of generation steps S, 1 .. N
     * @return S counts, strictly decreasing, the last 0
     */
    public static int[] maskedAfter(int length, int steps) {
        if (steps < 1 || steps > length) {
            throw new IllegalArgumentException("generation steps must be in [1, " + length + "], got " + steps);
        }
        int[] left = new int[steps];
        int masked = length;
        for (int s = 0; s < steps; s++) {
            if (s == steps - 1) {
                left[s] = 0;
                break;
            }
            int next = (int) Math.floor(length * Math.cos(Math.PI / 2 * (s + 1) / steps));
            next = Math.max(1, Math.min(masked - 1, next));
            left[s] = next;
            masked = next;
        }
        return left;
    }

    /** The tokens predicted at each step: maskedBefore - maskedAfter. */
    public static int[] predictedPerStep(int length, int steps) {
        int[] after = maskedAfter(length, steps);
        int[] predicted = new int[steps];
        int before = length;
        for (int s = 0; s < steps; s++) {
            predicted[s] = before - after[s];
            before = after[s];
        }
        return predicted;
    }
}
