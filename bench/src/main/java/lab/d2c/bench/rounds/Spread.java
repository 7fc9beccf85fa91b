package lab.d2c.bench.rounds;

/**
 * The median of one figure over a benchmark's rounds and its spread, given as the range (min to max): with the 3 to
 * 7 rounds these benches run, an interquartile range would rest on one or two values on either side and hide the
 * outlier a reader should see.
 *
 * @param median the middle value; with an even count the mean of the two middle ones
 * @param min    the smallest round's value
 * @param max    the largest round's value
 * @param rounds how many rounds the figure comes from
 */
public record Spread(double median, double min, double max, int rounds) {

    /** Width of the range relative to the median, (max - min) / median: 0.1 is a range of +-5% around it. */
    public double relativeRange() {
        return (max - min) / median;
    }
}
