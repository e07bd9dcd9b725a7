package io.conveyor.program;

/**
 * The histograms the program statistics keep in counter items: bucket {@code b} holds values up to √2^b (bucket 0
 * values up to 1), the last bucket everything larger, so a percentile read back is exact to within a factor of √2.
 */
final class Histograms {
    private Histograms() {}

    /** The bucket of {@code value} in a histogram of {@code buckets} buckets. */
    static int bucket(long value, int buckets) {
        if (value <= 1) {
            return 0;
        }
        int b = (int) Math.ceil(2 * Math.log(value) / Math.log(2));
        return Math.min(b, buckets - 1);
    }

    /** The largest value bucket {@code bucket} holds. */
    static long upperBound(int bucket) {
        return (long) Math.floor(Math.pow(2, bucket / 2.0));
    }

    /** The bucket holding the value of rank ⌈{@code quantile} × {@code count}⌉; the last bucket if the counts fall short. */
    static int percentileBucket(long[] histogram, long count, double quantile) {
        long rank = (long) Math.ceil(quantile * count);
        long seen = 0;
        for (int b = 0; b < histogram.length; b++) {
            seen += histogram[b];
            if (seen >= rank) {
                return b;
            }
        }
        return histogram.length - 1;
    }
}
