package org.scaleml.concurrent.quality;

/**
 * How relaxed a priority queue was over a run.
 *
 * <p><b>Rank error</b> of a deletion: the number of elements present with a strictly smaller priority than the
 * one removed (0 for an exact queue). <b>Delay</b> of an element: the number of deletions that removed an
 * element of strictly larger priority while it was present (how often it was overtaken; 0 for an exact queue).
 * Percentiles are exact order statistics (nearest rank) over all deletions measured.
 *
 * @param deletes       deletions measured
 * @param rankErrorMean mean rank error
 * @param rankErrorP50  median rank error
 * @param rankErrorP99  99th percentile of the rank error
 * @param rankErrorMax  largest rank error
 * @param delayMean     mean delay; {@code NaN} when the method used does not measure delay
 * @param delayP99      99th percentile of the delay; {@code -1} when not measured
 * @param delayMax      largest delay; {@code -1} when not measured
 */
public record RelaxationReport(long deletes, double rankErrorMean, long rankErrorP50, long rankErrorP99,
                               long rankErrorMax, double delayMean, long delayP99, long delayMax) {

    /** Whether delay was measured. */
    public boolean hasDelay() {
        return delayMax >= 0;
    }

    /** Builds a report from raw per-deletion values; sorts the given arrays in place. */
    static RelaxationReport of(long[] ranks, int n, long[] delays) {
        java.util.Arrays.sort(ranks, 0, n);
        double rankMean = mean(ranks, n);
        if (delays == null) {
            return new RelaxationReport(n, rankMean, percentile(ranks, n, 0.50), percentile(ranks, n, 0.99),
                    n == 0 ? 0 : ranks[n - 1], Double.NaN, -1, -1);
        }
        java.util.Arrays.sort(delays, 0, n);
        return new RelaxationReport(n, rankMean, percentile(ranks, n, 0.50), percentile(ranks, n, 0.99),
                n == 0 ? 0 : ranks[n - 1], mean(delays, n), percentile(delays, n, 0.99), n == 0 ? 0 : delays[n - 1]);
    }

    private static double mean(long[] a, int n) {
        if (n == 0) {
            return 0.0;
        }
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += a[i];
        }
        return s / n;
    }

    /** Nearest-rank percentile of the first n values of a sorted array; 0 when empty. */
    static long percentile(long[] sorted, int n, double q) {
        if (n == 0) {
            return 0;
        }
        int k = (int) Math.ceil(q * n);
        return sorted[Math.max(0, Math.min(n - 1, k - 1))];
    }
}
