package org.scaleml.cli.bench;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.scaleml.concurrent.pq.ConcurrentPriorityQueue;
import org.scaleml.concurrent.pq.PriorityQueues;
import org.scaleml.concurrent.quality.InstrumentedQueue;
import org.scaleml.concurrent.quality.OperationLog;
import org.scaleml.concurrent.quality.RankReplay;
import org.scaleml.concurrent.quality.RelaxationReport;

/**
 * Measures one {@link ConcurrentPriorityQueue} implementation: throughput under concurrency, and how far from
 * exact priority order it was (rank error and delay). Used by {@code scaleml bench pq} and {@code scaleml demo};
 * free of any command-line concerns.
 *
 * <h2>Workload</h2>
 * The alternating "hold" process of scheduler workloads: each of {@code T} threads repeatedly inserts an
 * element and then calls {@code tryDeleteMin}, so half of all operations are inserts, half are delete-mins, and
 * the queue size stays at the prefill. Prefilled priorities are uniform in {@code [0, SPREAD)}; a new element's
 * priority is the priority this thread last deleted plus a uniform value in {@code [1, SPREAD]}
 * ({@link #SPREAD} = 2^24), the way a label-correcting graph algorithm schedules a neighbour behind the task it
 * just ran. (Uniformly random priorities would be a poor benchmark: the queue's contents drift towards the top
 * of the range until most new elements are smaller than everything present, and a queue can then serve them
 * from a thread-local buffer without touching shared state.) Every thread works through its own handle and
 * inserts its share of the prefill itself (so per-thread heaps start balanced).
 *
 * <h2>Phases</h2>
 * <ol>
 *   <li><b>Throughput</b>, {@code repeats} times, each on a fresh queue: prefill, then all threads start
 *       together and run for {@code seconds}; the score is all operations (inserts plus delete-min calls) over
 *       the wall time from the common start to the last thread's stop. The reported figure is the median.</li>
 *   <li><b>Quality</b>, {@code repeats} times after one unrecorded warm-up run, each on a fresh queue wrapped
 *       in {@link InstrumentedQueue}: prefill {@code qualityPrefill} elements, then {@code qualityOps}
 *       operations in total, same threads and workload; each operation log is replayed exactly by
 *       {@link RankReplay}. The reported relaxation is that of the run with the median mean rank error. A
 *       quality run is short (a fraction of a second), so one descheduled thread holding a heap's lock, or the
 *       JIT compiling the instrumented code on one of the cores, can inflate one run's rank error a
 *       hundredfold; the warm-up and the median keep such a run from being the figure reported, and every
 *       run's mean is kept in {@link Result#rankErrorMeanRuns()}. The instrumentation adds a shared ticket
 *       counter, so it is kept out of the throughput phase.</li>
 * </ol>
 *
 * <h2>Threads and seeds</h2>
 * The caller's thread coordinates; worker threads are created per phase and joined before {@code run}
 * returns (no pools survive a call). Seeds are derived from {@link Settings#seed()}: repeat {@code r} uses
 * queue seed {@code seed + r}, and its thread {@code i} a {@link SplittableRandom} split deterministically from
 * it, so runs are reproducible up to thread interleaving.
 */
public final class PqBench {

    /** Width of the priority window of the hold workload (see the class documentation). */
    public static final int SPREAD = 1 << 24;

    private PqBench() {
    }

    /** Priority of the next element in the hold workload, given the priority this thread last deleted. */
    static long nextPriority(long lastDeleted, SplittableRandom random) {
        return lastDeleted + 1 + random.nextInt(SPREAD);
    }

    /**
     * What to run.
     *
     * @param threads        worker threads, at least 1
     * @param seconds        length of one throughput run, positive and finite
     * @param repeats        throughput runs per implementation, at least 1 (the median is reported)
     * @param prefill        elements inserted before each throughput run, at least 0
     * @param seed           base seed of queues and priority generators
     * @param qualityPrefill elements inserted before the quality run, at least 0
     * @param qualityOps     operations (inserts plus delete-mins) of the quality run, at least 0 (0 skips it)
     */
    public record Settings(int threads, double seconds, int repeats, long prefill, long seed,
                           long qualityPrefill, long qualityOps) {

        /** Defaults of {@code scaleml bench pq}. */
        public static final long DEFAULT_PREFILL = 1_000_000;
        public static final long DEFAULT_QUALITY_PREFILL = 100_000;
        public static final long DEFAULT_QUALITY_OPS = 500_000;
        public static final long DEFAULT_SEED = 42;

        public Settings {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1, got " + threads);
            }
            if (!(seconds > 0) || Double.isInfinite(seconds)) {
                throw new IllegalArgumentException("seconds must be positive and finite, got " + seconds);
            }
            if (repeats < 1) {
                throw new IllegalArgumentException("repeats must be at least 1, got " + repeats);
            }
            if (prefill < 0 || qualityPrefill < 0 || qualityOps < 0) {
                throw new IllegalArgumentException("prefill, qualityPrefill and qualityOps must not be negative, got "
                        + prefill + ", " + qualityPrefill + ", " + qualityOps);
            }
        }
    }

    /**
     * The measurements of one implementation.
     *
     * @param impl          the queue specification as given (e.g. {@code "mq:c=4"})
     * @param name          the queue's own name with its parameters (e.g. {@code "mq(c=4,d=4)"})
     * @param relaxed       whether the queue may return elements out of order
     * @param settings      what was run
     * @param opsPerSecRuns throughput of every run, in run order
     * @param opsPerSec     median of {@code opsPerSecRuns}
     * @param emptyDeletes  fraction of delete-min calls in the throughput runs that returned "empty"; near 0 on a
     *                      prefilled queue, so a large value means the throughput counts failed deletions
     * @param quality       relaxation measured in the quality phase; {@code deletes() == 0} when skipped
     */
    public record Result(String impl, String name, boolean relaxed, Settings settings, double[] opsPerSecRuns,
                         double opsPerSec, double emptyDeletes, RelaxationReport quality,
                         double[] rankErrorMeanRuns) {
        public Result {
            opsPerSecRuns = opsPerSecRuns.clone();
            rankErrorMeanRuns = rankErrorMeanRuns.clone();
        }

        @Override
        public double[] opsPerSecRuns() {
            return opsPerSecRuns.clone();
        }

        /** Mean rank error of every measured quality run, in run order (empty when the phase was skipped). */
        @Override
        public double[] rankErrorMeanRuns() {
            return rankErrorMeanRuns.clone();
        }
    }

    /** Callbacks for progress display; called on the caller's thread. */
    public interface Progress {
        /** A phase of {@code impl} starts: {@code "run 1/3"}, ..., {@code "quality"}. */
        void phase(String impl, String phase);

        /** The phase announced last has finished. */
        void done();

        /** Reports nothing. */
        Progress NONE = new Progress() {
            @Override
            public void phase(String impl, String phase) {
            }

            @Override
            public void done() {
            }
        };
    }

    /** Number of {@link Progress#done()} calls one {@link #run} makes with these settings. */
    public static int steps(Settings s) {
        return s.repeats() + (s.qualityOps() > 0 ? s.repeats() + 1 : 0);
    }

    /**
     * Runs both phases for one queue specification.
     *
     * @throws IllegalArgumentException if {@code spec} is not a valid queue specification
     * @throws InterruptedException     if the calling thread is interrupted (workers are stopped first)
     */
    public static Result run(String spec, Settings s, Progress progress) throws InterruptedException {
        ConcurrentPriorityQueue probe = PriorityQueues.create(spec, s.threads(), s.seed());
        double[] runs = new double[s.repeats()];
        long[] deleteCounts = new long[2]; // delete-min calls, empty results
        for (int r = 0; r < runs.length; r++) {
            progress.phase(spec, "run " + (r + 1) + "/" + runs.length);
            runs[r] = throughput(PriorityQueues.create(spec, s.threads(), s.seed() + r), s, s.seed() + r,
                    deleteCounts);
            progress.done();
        }
        double emptyDeletes = deleteCounts[0] == 0 ? 0 : (double) deleteCounts[1] / deleteCounts[0];
        RelaxationReport quality = new RelaxationReport(0, 0, 0, 0, 0, 0, 0, 0);
        double[] rankMeans = new double[0];
        if (s.qualityOps() > 0) {
            progress.phase(spec, "quality warm-up");
            quality(spec, s, s.seed() - 1);
            progress.done();
            RelaxationReport[] reports = new RelaxationReport[s.repeats()];
            rankMeans = new double[s.repeats()];
            for (int r = 0; r < reports.length; r++) {
                progress.phase(spec, "quality " + (r + 1) + "/" + reports.length);
                reports[r] = quality(spec, s, s.seed() + r);
                rankMeans[r] = reports[r].rankErrorMean();
                progress.done();
            }
            RelaxationReport[] byMean = reports.clone();
            Arrays.sort(byMean, java.util.Comparator.comparingDouble(RelaxationReport::rankErrorMean));
            quality = byMean[(byMean.length - 1) / 2];
        }
        return new Result(spec, probe.name(), probe.isRelaxed(), s, runs, median(runs), emptyDeletes, quality,
                rankMeans);
    }

    /** Median of the values (mean of the middle two for an even count); NaN for none. */
    public static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] v = values.clone();
        Arrays.sort(v);
        int mid = v.length / 2;
        return v.length % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
    }

    /**
     * One timed run on {@code queue}; returns operations per second and adds the number of delete-min calls and
     * of empty results to {@code deleteCounts[0]} and {@code deleteCounts[1]}.
     */
    static double throughput(ConcurrentPriorityQueue queue, Settings s, long seed, long[] deleteCounts)
            throws InterruptedException {
        int t = s.threads();
        long[] ops = new long[t];
        long[] empty = new long[t];
        long[] stoppedAt = new long[t];
        TimedWorkers.StopFlag stop = new TimedWorkers.StopFlag();
        SplittableRandom seeds = new SplittableRandom(seed);
        TimedWorkers workers = new TimedWorkers(t, i -> {
            SplittableRandom random = seeds.split();
            return start -> {
                try (ConcurrentPriorityQueue.Handle h = queue.register()) {
                    long payload = prefill(h, random, i, t, s.prefill());
                    h.flush();
                    start.await();
                    long n = 0;
                    long misses = 0;
                    long last = 0;
                    while (!stop.stop) {
                        h.insert(nextPriority(last, random), payload++);
                        if (h.tryDeleteMin()) {
                            last = h.priority();
                        } else {
                            misses++;
                        }
                        n += 2;
                    }
                    stoppedAt[i] = System.nanoTime();
                    ops[i] = n;
                    empty[i] = misses;
                }
            };
        });
        long start = workers.startAndAwaitReady();
        try {
            TimedWorkers.sleepUntil(start + (long) (s.seconds() * 1e9));
        } finally {
            stop.stop = true;
            workers.join();
        }
        long total = 0;
        long end = start;
        for (int i = 0; i < t; i++) {
            total += ops[i];
            end = Math.max(end, stoppedAt[i]);
            deleteCounts[0] += ops[i] / 2;
            deleteCounts[1] += empty[i];
        }
        return total / ((end - start) / 1e9);
    }

    /** The quality phase: an instrumented fresh queue, a bounded number of operations, exact replay. */
    static RelaxationReport quality(String spec, Settings s, long seed) throws InterruptedException {
        int t = s.threads();
        // Room for each thread's share of the prefill and the operations, so the measured run never grows a log.
        long perThread = (s.qualityPrefill() + s.qualityOps()) / t + 1024;
        OperationLog log = new OperationLog((int) Math.min(Integer.MAX_VALUE - 8, perThread));
        System.gc(); // collect the previous run's garbage now rather than during the measured run
        ConcurrentPriorityQueue queue = new InstrumentedQueue(PriorityQueues.create(spec, t, seed), log);
        long pairs = s.qualityOps() / 2;
        SplittableRandom seeds = new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L);
        TimedWorkers workers = new TimedWorkers(t, i -> {
            SplittableRandom random = seeds.split();
            long myPairs = pairs / t + (i < pairs % t ? 1 : 0);
            return start -> {
                try (ConcurrentPriorityQueue.Handle h = queue.register()) {
                    long payload = prefill(h, random, i, t, s.qualityPrefill());
                    h.flush();
                    start.await();
                    long last = 0;
                    for (long k = 0; k < myPairs; k++) {
                        h.insert(nextPriority(last, random), payload++);
                        if (h.tryDeleteMin()) {
                            last = h.priority();
                        }
                    }
                }
            };
        });
        workers.startAndAwaitReady();
        workers.join();
        return RankReplay.replay(log);
    }

    /** Thread {@code i} of {@code t} inserts elements {@code i, i + t, ...} of {@code n}; returns the next payload. */
    private static long prefill(ConcurrentPriorityQueue.Handle h, SplittableRandom random, int i, int t, long n) {
        long payload = (long) i << 40;
        for (long k = i; k < n; k += t) {
            h.insert(random.nextInt(SPREAD), payload++);
        }
        return payload;
    }
}
