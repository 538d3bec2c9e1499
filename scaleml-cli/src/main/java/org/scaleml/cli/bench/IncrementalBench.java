package org.scaleml.cli.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

import org.scaleml.graph.algo.Run;
import org.scaleml.graph.incremental.BinarySearchTree;
import org.scaleml.graph.incremental.BstSort;
import org.scaleml.graph.incremental.DelaunayTriangulation;
import org.scaleml.graph.incremental.RandomInputs;
import org.scaleml.graph.incremental.Triangulation;
import org.scaleml.sched.Scheduler;

/**
 * {@code scaleml bench incremental}: the randomized incremental algorithms (Delaunay triangulation, BST sort)
 * sequentially and on a list of schedulers and thread counts, medians of repeated runs, every run checked
 * against the sequential result.
 */
public final class IncrementalBench {
    /** Algorithm names as they appear in the rows. */
    public static final String DELAUNAY = "delaunay";
    public static final String BST_SORT = "bst-sort";
    public static final String SEQUENTIAL = "sequential";

    private IncrementalBench() {
    }

    /**
     * What to run.
     *
     * @param algorithms {@link #DELAUNAY} and/or {@link #BST_SORT}
     * @param points     points of the Delaunay input (uniform in the unit square)
     * @param keys       keys of the BST sort input (uniform 64-bit)
     * @param threads    thread counts of the scheduler rows
     * @param schedulers scheduler specifications ("sequential" entries are skipped: that row always runs)
     */
    public record Settings(List<String> algorithms, int points, int keys, List<Integer> threads,
                           List<String> schedulers, int warmups, int repeats, long seed) {
        public Settings {
            algorithms = List.copyOf(algorithms);
            threads = List.copyOf(threads);
            schedulers = List.copyOf(schedulers);
            for (String a : algorithms) {
                if (!a.equals(DELAUNAY) && !a.equals(BST_SORT)) {
                    throw new IllegalArgumentException("unknown algorithm '" + a + "'; choose delaunay or bst-sort");
                }
            }
        }

        /** Runs (warm-up and timed) to do in total, for a progress bar. */
        public int steps() {
            int rows = 1 + (int) schedulers.stream().filter(s -> !s.equalsIgnoreCase(SEQUENTIAL)).count()
                    * threads.size();
            return algorithms.size() * rows * (warmups + repeats);
        }
    }

    /**
     * One row: medians over the timed runs.
     *
     * @param n                   points or keys
     * @param extraWorkRatio      wastedTasks / n
     * @param speedupVsSequential sequential median / this median
     * @param verified            every run equalled the sequential result
     * @param blocked             Delaunay: median pops blocked by an earlier point (0 for bst-sort: all its waste)
     * @param conflicts           Delaunay: median pops that met another insert's claim (0 for bst-sort)
     */
    public record Result(String algorithm, String scheduler, String queue, int threads, int n, double medianMillis,
                         double[] runsMillis, long tasks, long wastedTasks, double extraWorkRatio,
                         double speedupVsSequential, boolean verified, long blocked, long conflicts) {
    }

    /** Runs everything; {@code onResult} sees each row as it is finished. */
    public static List<Result> run(Settings s, PqBench.Progress progress, Consumer<Result> onResult) {
        List<Result> out = new ArrayList<>();
        for (String a : s.algorithms()) {
            out.addAll(a.equals(DELAUNAY) ? delaunay(s, progress, onResult) : bst(s, progress, onResult));
        }
        return out;
    }

    private interface Contender<T> {
        Run<T> run(Scheduler scheduler);
    }

    /** One row being measured: its scheduler (null: sequential) and its figures per timed run. */
    private static final class Row {
        final String name;
        final Scheduler scheduler;
        final double[] ms;
        final double[] tasks;
        final double[] wasted;
        final double[] blocked;
        final double[] conflicts;
        boolean verified = true;

        Row(String name, Scheduler scheduler, int repeats) {
            this.name = name;
            this.scheduler = scheduler;
            ms = new double[repeats];
            tasks = new double[repeats];
            wasted = new double[repeats];
            blocked = new double[repeats];
            conflicts = new double[repeats];
        }
    }

    /**
     * Runs the rows in rounds, one run of every row per round (so that JIT state and machine noise are shared
     * alike): the warm-up rounds, then the timed ones. The sequential row runs first in every round and is the
     * reference every other run is compared with.
     */
    private static <T> List<Result> measure(String algo, int n, Settings s, Contender<T> c,
                                            java.util.function.BiPredicate<T, T> same, PqBench.Progress progress,
                                            Consumer<Result> onResult) {
        List<Row> rows = new ArrayList<>();
        rows.add(new Row(SEQUENTIAL, null, s.repeats()));
        for (int threads : s.threads()) {
            for (String name : s.schedulers()) {
                if (!name.equalsIgnoreCase(SEQUENTIAL)) {
                    rows.add(new Row(name, new Scheduler(name, threads, s.seed()), s.repeats()));
                }
            }
        }
        for (int r = 0; r < s.warmups() + s.repeats(); r++) {
            T reference = null;
            for (Row row : rows) {
                progress.phase(algo + " " + row.name + (row.scheduler == null ? "" : " x" + row.scheduler.threads()),
                        phase(r, s));
                long t0 = System.nanoTime();
                Run<T> run = c.run(row.scheduler);
                double took = (System.nanoTime() - t0) / 1e6;
                progress.done();
                if (row.scheduler == null) {
                    reference = run.result();
                } else {
                    row.verified &= same.test(run.result(), reference);
                }
                if (r >= s.warmups()) {
                    int k = r - s.warmups();
                    row.ms[k] = took;
                    row.tasks[k] = run.stats().tasks();
                    row.wasted[k] = run.stats().wastedTasks();
                    row.blocked[k] = run.counters().getOrDefault(DelaunayTriangulation.BLOCKED, 0L);
                    row.conflicts[k] = run.counters().getOrDefault(DelaunayTriangulation.CONFLICTS, 0L);
                }
            }
        }
        double seqMedian = median(rows.get(0).ms);
        List<Result> out = new ArrayList<>();
        for (Row row : rows) {
            double med = median(row.ms);
            long w = Math.round(median(row.wasted));
            Result res = new Result(algo, row.name, row.scheduler == null ? SEQUENTIAL : row.scheduler.queueName(),
                    row.scheduler == null ? 1 : row.scheduler.threads(), n, med, row.ms, Math.round(median(row.tasks)),
                    w, n == 0 ? 0.0 : (double) w / n, seqMedian / med, row.verified, Math.round(median(row.blocked)),
                    Math.round(median(row.conflicts)));
            out.add(res);
            onResult.accept(res);
        }
        return out;
    }

    private static List<Result> delaunay(Settings s, PqBench.Progress progress, Consumer<Result> onResult) {
        double[][] p = RandomInputs.uniformPoints(s.points(), s.seed());
        long seed = s.seed();
        Contender<Triangulation> c = sched -> sched == null
                ? DelaunayTriangulation.sequential(p[0], p[1], seed)
                : DelaunayTriangulation.parallel(p[0], p[1], seed, sched);
        return measure(DELAUNAY, s.points(), s, c, Triangulation::sameTriangles, progress, onResult);
    }

    private static List<Result> bst(Settings s, PqBench.Progress progress, Consumer<Result> onResult) {
        long[] keys = RandomInputs.uniformKeys(s.keys(), s.seed());
        long seed = s.seed();
        Contender<BinarySearchTree> c = sched -> sched == null
                ? BstSort.sequential(keys, seed)
                : BstSort.parallel(keys, seed, sched);
        return measure(BST_SORT, s.keys(), s, c, BinarySearchTree::sameTree, progress, onResult);
    }

    private static String phase(int r, Settings s) {
        return r < s.warmups() ? "warm-up " + (r + 1) + "/" + s.warmups()
                : "run " + (r - s.warmups() + 1) + "/" + s.repeats();
    }

    static double median(double[] v) {
        Objects.requireNonNull(v);
        if (v.length == 0) {
            return 0;
        }
        double[] c = v.clone();
        Arrays.sort(c);
        int m = c.length / 2;
        return c.length % 2 == 1 ? c[m] : (c[m - 1] + c[m]) / 2;
    }
}
