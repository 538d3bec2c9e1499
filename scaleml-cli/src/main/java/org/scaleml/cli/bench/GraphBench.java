package org.scaleml.cli.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

import org.jgrapht.alg.interfaces.ShortestPathAlgorithm.SingleSourcePaths;
import org.jgrapht.graph.DefaultWeightedEdge;
import org.scaleml.cli.graph.GraphAlgo;
import org.scaleml.cli.graph.GraphRun;
import org.scaleml.graph.CsrGraph;
import org.scaleml.graph.algo.DistanceChecksum;
import org.scaleml.graph.algo.GraphWorkers;
import org.scaleml.sched.Scheduler;

/**
 * Runs one graph algorithm with several contenders side by side on one graph, in one JVM: the sequential
 * reference, the algorithm's parallel methods ({@link GraphAlgo#methods()}), the algorithm on each given relaxed
 * scheduler, and for SSSP JGraphT's Dijkstra. The row of the method a command runs by default is marked. Used by {@code
 * scaleml bench graph} and {@code scaleml demo}; free of command-line concerns.
 *
 * <h2>Method</h2>
 * One untimed run of the sequential reference gives the result that verifies every other run; its timed runs
 * median is the speedup baseline. Then the contenders (the sequential reference, the schedulers in the order
 * given, JGraphT) run in rounds, each contender once per round: {@code warmups} untimed rounds, and more until
 * {@code warmupSeconds} have passed (the JIT compiles the hot code with its real profile; the compiler threads
 * compete with the workers for the cores, so one run is not enough), then {@code repeats} timed rounds; the median is reported. Interleaving gives every contender
 * the same share of the machine's noise and the same JIT state. A full collection ({@code System.gc()}) precedes
 * every timed run, so no contender inherits another's garbage. Times are
 * the algorithm call only (graph loading and JGraphT's conversion excluded). Every timed run's result is compared
 * with the reference exactly ({@link GraphRun#matches}); a contender is {@code verified} only if all its runs
 * agreed.
 *
 * <h2>Extra work</h2>
 * {@code extraWork = (median tasks - exact tasks) / exact tasks}, where the exact task count is that of one
 * untimed run of the same parallel algorithm on the {@code exact} scheduler with one thread: the exact schedule.
 * For sssp and bfs that schedule already has stale tasks (lazy deletion: a node improved twice before it is
 * settled has two tasks, the first found stale), so the figure is the work the relaxation adds, not the stale
 * copies every priority-queue label-correcting run has; the JSON also gives the exact count and the stale
 * ({@code wastedTasks}) count, so the ratio against reachable nodes can be formed too.
 *
 * <p>Threads: the scheduler's workers are started and joined inside every run; the parallel methods' helper
 * threads are started once per call ({@link GraphWorkers}, as an application would keep them) and stopped before
 * it returns; nothing survives a call.
 */
public final class GraphBench {
    private GraphBench() {
    }

    /** Contender kinds, the JSON {@code kind} value. */
    public static final String SCHEDULER = "scheduler";
    public static final String SEQUENTIAL = "sequential";
    public static final String METHOD = "method";
    public static final String JGRAPHT = "jgrapht";

    /** The scheduler the algorithm commands use by default (their --scheduler default). */
    public static final String DEFAULT_SCHEDULER = "mq";

    /** Contender names of the baselines. */
    public static final String SEQUENTIAL_NAME = "sequential";
    public static final String JGRAPHT_NAME = "jgrapht-dijkstra";

    /**
     * What to run.
     *
     * @param algo       sssp, bfs, cc, msf, mis or matching (not astar)
     * @param threads    worker threads of the parallel contenders
     * @param methods    parallel methods of {@code algo} to run (not {@link GraphAlgo#SCHEDULER} or {@link
     *                   GraphAlgo#SEQUENTIAL}: the scheduler rows come from {@code schedulers}, the sequential row
     *                   always runs)
     * @param schedulers scheduler names or queue specifications (may be empty)
     * @param warmups    untimed runs per contender before the timed ones, at least 0
     * @param warmupSeconds the untimed rounds go on past {@code warmups} until this much time has passed since the
     *                   first one (0: exactly {@code warmups} rounds), at least 0
     * @param repeats    timed runs per contender, at least 1
     * @param seed       scheduler seed and greedy order seed
     * @param source     internal source node (sssp, bfs)
     * @param jgrapht    include JGraphT's Dijkstra (sssp only)
     */
    public record Settings(GraphAlgo algo, int threads, List<String> methods, List<String> schedulers, int warmups,
                           double warmupSeconds, int repeats, long seed, int source, boolean jgrapht) {
        public Settings {
            Objects.requireNonNull(algo, "algo");
            if (algo == GraphAlgo.ASTAR) {
                throw new IllegalArgumentException("bench graph does not run astar; choose sssp, bfs, cc, msf, mis "
                        + "or matching");
            }
            if (threads < 1 || repeats < 1 || warmups < 0 || !(warmupSeconds >= 0)) {
                throw new IllegalArgumentException("threads and repeats must be at least 1, warmups and warmup "
                        + "seconds at least 0");
            }
            List<String> ms = new ArrayList<>();
            for (String m : methods) {
                String known = algo.method(m);
                if (known.equals(GraphAlgo.SCHEDULER) || known.equals(GraphAlgo.SEQUENTIAL)) {
                    throw new IllegalArgumentException("method " + known + " is not a parallel method: the scheduler "
                            + "rows come from the scheduler list, the sequential row always runs");
                }
                ms.add(known);
            }
            methods = List.copyOf(ms);
            schedulers = List.copyOf(schedulers);
            jgrapht = jgrapht && algo == GraphAlgo.SSSP;
        }

        /**
         * Settings with every parallel method of {@code algo} ({@link #parallelMethods}) besides the schedulers and
         * exactly {@code warmups} warm-up rounds.
         */
        public Settings(GraphAlgo algo, int threads, List<String> schedulers, int warmups, int repeats, long seed,
                        int source, boolean jgrapht) {
            this(algo, threads, parallelMethods(algo), schedulers, warmups, 0, repeats, seed, source, jgrapht);
        }

        /** Number of contenders. */
        public int contenders() {
            return 1 + methods.size() + schedulers.size() + (jgrapht ? 1 : 0);
        }
    }

    /** The methods of {@code algo} other than {@link GraphAlgo#SCHEDULER} and {@link GraphAlgo#SEQUENTIAL}. */
    public static List<String> parallelMethods(GraphAlgo algo) {
        List<String> ms = new ArrayList<>();
        for (String m : algo.methods()) {
            if (!m.equals(GraphAlgo.SCHEDULER) && !m.equals(GraphAlgo.SEQUENTIAL)) {
                ms.add(m);
            }
        }
        return ms;
    }

    /**
     * One contender's measurements.
     *
     * @param name       method name, scheduler name as given, {@code "sequential"} or {@code "jgrapht-dijkstra"}
     * @param kind       {@link #METHOD}, {@link #SCHEDULER}, {@link #SEQUENTIAL} or {@link #JGRAPHT}
     * @param method     the {@link GraphAlgo} method that ran ({@link GraphAlgo#SCHEDULER} for the scheduler rows,
     *                   {@link GraphAlgo#SEQUENTIAL} for the reference), null for JGraphT
     * @param isDefault  this row is what the algorithm's command runs without --method and --scheduler
     * @param queue      the scheduler's queue with its parameters, or null for the baselines
     * @param threads    threads used
     * @param runsMillis every timed run, in run order
     * @param medianMillis median of {@code runsMillis}
     * @param tasks      median tasks executed (baselines: nodes settled, -1 if unknown)
     * @param wastedTasks median wasted tasks (baselines: 0)
     * @param steals     median steals (the {@code smq} queue), -1 where not reported
     * @param exactTasks tasks of the exact schedule (see the class documentation)
     * @param extraWork  see the class documentation (method rows: wasted / useful tasks); NaN for the baselines
     * @param checksum   the result's checksum (see {@link GraphRun})
     * @param verified   every timed run agreed exactly with the sequential reference
     * @param speedupVsSequential the sequential median over this median
     */
    public record Result(String name, String kind, String method, boolean isDefault, String queue, int threads, double[] runsMillis,
                         double medianMillis, long tasks, long wastedTasks, long steals, long exactTasks,
                         double extraWork, long checksum,
                         boolean verified, double speedupVsSequential) {
        public Result {
            runsMillis = runsMillis.clone();
        }

        @Override
        public double[] runsMillis() {
            return runsMillis.clone();
        }
    }

    /** Number of {@link PqBench.Progress#done()} calls one {@link #run} makes. */
    public static int steps(Settings s) {
        return 1 + s.contenders() * (s.warmups() + s.repeats()) + (s.jgrapht() ? 1 : 0) + 1;
    }

    /** One contender: runs the algorithm once and returns its time, checking the result against the reference. */
    private abstract static class Contender {
        final String name;
        final double[] runs;
        boolean verified = true;

        Contender(String name, int repeats) {
            this.name = name;
            this.runs = new double[repeats];
        }

        /** One run; {@code timed < 0} for a warm-up run, else the index of the timed run. */
        abstract void run(int timed);

        abstract Result result(double seqMedian);
    }

    /**
     * Runs every contender on {@code g} and hands each result to {@code onResult} once all runs are done.
     *
     * @throws IllegalArgumentException on an invalid scheduler or a source out of range
     */
    public static List<Result> run(CsrGraph g, Settings s, PqBench.Progress progress, Consumer<Result> onResult) {
        List<Scheduler> schedulers = new ArrayList<>();
        for (String name : s.schedulers()) {
            // validates every name before any run; a plain "obim" gets the algorithm's bucket width
            schedulers.add(new Scheduler(s.algo().schedulerSpec(name), s.threads(), s.seed()));
        }
        final GraphAlgo algo = s.algo();
        final int repeats = s.repeats();

        // The sequential reference verifies every other contender; one untimed run first.
        progress.phase(SEQUENTIAL_NAME, "reference result");
        final GraphRun.Reference ref = GraphRun.reference(g, algo, s.source(), -1, s.seed());
        progress.done();
        progress.phase("exact", "task count of the exact schedule");
        final long exactTasks = GraphRun.execute(g, algo, new Scheduler("exact", 1, s.seed()), s.source(), -1,
                s.seed()).stats().tasks();
        progress.done();

        List<Contender> contenders = new ArrayList<>();
        contenders.add(new Contender(SEQUENTIAL_NAME, repeats) {
            @Override
            void run(int timed) {
                GraphRun.Reference r = GraphRun.reference(g, algo, s.source(), -1, s.seed());
                if (timed >= 0) {
                    runs[timed] = r.millis();
                    verified &= r.checksum() == ref.checksum() && r.settled() == ref.settled();
                }
            }

            @Override
            Result result(double seqMedian) {
                return new Result(name, SEQUENTIAL, GraphAlgo.SEQUENTIAL,
                        algo.defaultMethod().equals(GraphAlgo.SEQUENTIAL), null, 1, runs, PqBench.median(runs), ref.settled(), 0, -1,
                        exactTasks, Double.NaN, ref.checksum(), verified, 1.0);
            }
        });
        final Scheduler methodThreads = new Scheduler("exact", s.threads(), s.seed()); // only its thread count is used
        // The method rows' helper threads, started once (as a server keeps its threads), not per run; set just
        // before the rounds, so nothing can fail between their start and the finally that stops them.
        final GraphWorkers[] workers = new GraphWorkers[1];
        for (String method : s.methods()) {
            contenders.add(new Contender(method, repeats) {
                final long[] tasks = new long[repeats];
                final long[] wasted = new long[repeats];
                long checksum;
                String queue;

                @Override
                void run(int timed) {
                    GraphRun.Execution e = GraphRun.execute(g, algo, method, methodThreads, s.source(), -1, s.seed(),
                            workers[0]);
                    verified &= GraphRun.matches(e, ref) == null; // warm-up runs are checked too
                    if (timed >= 0) {
                        runs[timed] = e.millis();
                        tasks[timed] = e.stats().tasks();
                        wasted[timed] = e.stats().wastedTasks();
                        checksum = e.checksum();
                        queue = e.stats().queue();
                    }
                }

                @Override
                Result result(double seqMedian) {
                    double median = PqBench.median(runs);
                    long medTasks = median(tasks);
                    long medWasted = median(wasted);
                    return new Result(name, METHOD, method, algo.defaultMethod().equals(method), queue, s.threads(),
                            runs, median, medTasks, medWasted, -1, exactTasks,
                            medTasks > medWasted ? (double) medWasted / (medTasks - medWasted) : Double.NaN,
                            checksum, verified, seqMedian / median);
                }
            });
        }
        for (Scheduler sch : schedulers) {
            contenders.add(new Contender(sch.name(), repeats) {
                final long[] tasks = new long[repeats];
                final long[] wasted = new long[repeats];
                final long[] steals = new long[repeats];
                long checksum;

                @Override
                void run(int timed) {
                    GraphRun.Execution e = GraphRun.execute(g, algo, sch, s.source(), -1, s.seed());
                    verified &= GraphRun.matches(e, ref) == null; // warm-up runs are checked too
                    if (timed >= 0) {
                        runs[timed] = e.millis();
                        tasks[timed] = e.stats().tasks();
                        wasted[timed] = e.stats().wastedTasks();
                        steals[timed] = e.stats().steals();
                        checksum = e.checksum();
                    }
                }

                @Override
                Result result(double seqMedian) {
                    double median = PqBench.median(runs);
                    long medTasks = median(tasks);
                    return new Result(name, SCHEDULER, GraphAlgo.SCHEDULER,
                            algo.defaultMethod().equals(GraphAlgo.SCHEDULER) && name.equals(DEFAULT_SCHEDULER),
                            sch.queueName(), sch.threads(), runs, median, medTasks,
                            median(wasted), median(steals), exactTasks,
                            exactTasks > 0 ? (double) (medTasks - exactTasks) / exactTasks : Double.NaN,
                            checksum, verified, seqMedian / median);
                }
            });
        }
        if (s.jgrapht()) {
            progress.phase(JGRAPHT_NAME, "converting the graph");
            final JGraphTDijkstra jg = JGraphTDijkstra.convert(g);
            progress.done();
            final DistanceChecksum want = new DistanceChecksum(ref.checksum(), (int) ref.settled());
            contenders.add(new Contender(JGRAPHT_NAME, repeats) {
                DistanceChecksum got;

                @Override
                void run(int timed) {
                    long start = System.nanoTime();
                    SingleSourcePaths<Integer, DefaultWeightedEdge> paths = jg.run(s.source());
                    long nanos = System.nanoTime() - start;
                    if (timed >= 0) {
                        runs[timed] = nanos / 1e6;
                        got = jg.checksum(paths);
                        verified &= got.equals(want);
                    }
                }

                @Override
                Result result(double seqMedian) {
                    double median = PqBench.median(runs);
                    return new Result(name, JGRAPHT, null, false, null, 1, runs, median, got.reachable(), 0, -1, exactTasks,
                            Double.NaN, got.sum(), verified, seqMedian / median);
                }
            });
        }

        // Round-robin: every round runs each contender once, so all of them meet the same machine noise and the
        // same JIT state (the compiler threads compete with the workers for the cores; a contender measured
        // after the others would inherit their warm-up).
        workers[0] = s.methods().isEmpty() ? null : new GraphWorkers(s.threads());
        try {
            // Time-based warm-up on top of the round count, as JMH's: the parallel methods' hot loops are compiled
            // later than a sequential loop (many short calls per run), and until C2 is done its compiler threads
            // take a core from the workers.
            long warmupEnd = System.nanoTime() + (long) (s.warmupSeconds() * 1e9);
            for (int r = -s.warmups(); r < repeats; r++) {
                for (int extra = 1; r == 0 && System.nanoTime() - warmupEnd < 0; extra++) {
                    for (Contender c : contenders) {
                        progress.phase(c.name, "warm-up +" + extra);
                        c.run(-1);
                    }
                }
                for (Contender c : contenders) {
                    progress.phase(c.name, phase(r, s));
                    if (r >= 0) {
                        // Leave no collection work behind for the next contender: JGraphT's garbage otherwise
                        // starts concurrent GC cycles whose threads take a core from the following scheduler run,
                        // and a two-worker scheduler with one worker descheduled waits for the work it holds.
                        System.gc();
                    }
                    c.run(r);
                    progress.done();
                }
            }
        } finally {
            if (workers[0] != null) {
                workers[0].close();
            }
        }
        List<Result> results = new ArrayList<>();
        double seqMedian = PqBench.median(contenders.get(0).runs);
        for (Contender c : contenders) {
            Result res = c.result(seqMedian);
            results.add(res);
            onResult.accept(res);
        }
        return results;
    }

    private static String phase(int r, Settings s) {
        return r < 0 ? "warm-up " + (r + s.warmups() + 1) + "/" + s.warmups() : "run " + (r + 1) + "/" + s.repeats();
    }

    /** Median of the values (the lower middle one for an even count). */
    static long median(long[] values) {
        long[] v = values.clone();
        Arrays.sort(v);
        return v[(v.length - 1) / 2];
    }
}
