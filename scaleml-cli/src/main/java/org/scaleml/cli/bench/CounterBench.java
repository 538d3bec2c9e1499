package org.scaleml.cli.bench;

import org.scaleml.concurrent.counter.ApproximateCounter;
import org.scaleml.concurrent.counter.ApproximateCounters;

/**
 * The measurement behind {@code scaleml bench counter}: increments per second, the cost of a read under
 * contention and the error of reads, for one {@link ApproximateCounter} specification at one thread count.
 *
 * <ul>
 *   <li><b>Increments.</b> T threads increment a fresh counter for S seconds; throughput is increments per second
 *       of wall time, all threads. {@code warmups} unmeasured runs, then the median of {@code repeats}.</li>
 *   <li><b>Reads.</b> One thread reads the counter for S seconds while T-1 others keep incrementing it (with T = 1
 *       the reader is alone); {@code readNanos} is the reader's wall time per read, median over the repeats.</li>
 *   <li><b>Error.</b> After each measured increment run, in quiescence, 10,000 reads are compared with the exact
 *       {@code sum()}; {@code relError} is the mean of {@code |read - sum| / sum}, median over the repeats. It
 *       depends on the count reached (the MultiCounter's error is O(m log m) in absolute terms), which the result
 *       carries.</li>
 * </ul>
 */
public final class CounterBench {
    private CounterBench() {
    }

    /** Reads compared with the exact sum after each run. */
    static final int ERROR_READS = 10_000;

    /**
     * @param seconds length of each timed run
     * @param warmups unmeasured increment and read runs before the measured ones
     * @param repeats measured runs; medians are reported
     */
    public record Settings(double seconds, int warmups, int repeats) {
    }

    /**
     * One specification's figures at one thread count.
     *
     * @param impl                 the specification as given
     * @param spec                 the canonical specification (with defaults, e.g. {@code multi:m=8})
     * @param incrementsPerSecRuns every measured run, in order
     * @param readNanos            median wall time of one read while T-1 threads increment
     * @param relError             median of the mean relative read error in quiescence
     * @param count                increments in the last measured run (the count the error refers to)
     */
    public record Result(String impl, String spec, int threads, double incrementsPerSec,
                         double[] incrementsPerSecRuns, double readNanos, double relError, long count) {
        public Result {
            incrementsPerSecRuns = incrementsPerSecRuns.clone();
        }

        @Override
        public double[] incrementsPerSecRuns() {
            return incrementsPerSecRuns.clone();
        }
    }

    /** Measures one (already validated) specification. */
    public static Result run(String impl, int threads, Settings s) throws InterruptedException {
        String canonical = ApproximateCounters.create(impl, threads).spec();
        for (int i = 0; i < s.warmups(); i++) {
            increments(impl, threads, s.seconds(), new double[2]);
            reads(impl, threads, s.seconds());
        }
        double[] runs = new double[s.repeats()];
        double[] errors = new double[s.repeats()];
        double[] readCosts = new double[s.repeats()];
        double[] errorAndCount = new double[2];
        for (int r = 0; r < s.repeats(); r++) {
            runs[r] = increments(impl, threads, s.seconds(), errorAndCount);
            errors[r] = errorAndCount[0];
            readCosts[r] = reads(impl, threads, s.seconds());
        }
        return new Result(impl, canonical, threads, PqBench.median(runs), runs, PqBench.median(readCosts),
                PqBench.median(errors), (long) errorAndCount[1]);
    }

    /** One increment run; returns increments per second and leaves {mean relative error, count} in {@code out}. */
    private static double increments(String impl, int threads, double seconds, double[] out)
            throws InterruptedException {
        ApproximateCounter c = ApproximateCounters.create(impl, threads);
        TimedWorkers.Timing t = TimedWorkers.timed(threads, seconds, i -> stop -> {
            long n = 0;
            while (!stop.stop) {
                for (int k = 0; k < 64; k++) {
                    c.increment();
                }
                n += 64;
            }
            return n;
        });
        long sum = c.sum();
        if (sum != t.total()) {
            throw new IllegalStateException(impl + " counted " + sum + " of " + t.total() + " increments");
        }
        double error = 0;
        for (int i = 0; i < ERROR_READS; i++) {
            error += Math.abs(c.read() - sum) / (double) Math.max(sum, 1);
        }
        out[0] = error / ERROR_READS;
        out[1] = sum;
        return t.perSecond();
    }

    /** One read run: worker 0 reads, the others increment; returns nanoseconds per read. */
    private static double reads(String impl, int threads, double seconds) throws InterruptedException {
        ApproximateCounter c = ApproximateCounters.create(impl, threads);
        long[] sink = new long[threads]; // the reads' sum escapes here, so they cannot be optimized away
        TimedWorkers.Timing t = TimedWorkers.timed(threads, seconds, i -> stop -> {
            long n = 0;
            if (i == 0) {
                long acc = 0;
                while (!stop.stop) {
                    for (int k = 0; k < 16; k++) {
                        acc += c.read();
                    }
                    n += 16;
                }
                sink[i] = acc;
                return n;
            }
            while (!stop.stop) {
                for (int k = 0; k < 64; k++) {
                    c.increment();
                }
                n += 64;
            }
            return 0;
        });
        return t.nanos() / (double) Math.max(t.ops()[0], 1);
    }
}
