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

    private static <T> List<Result> measure(String algo, int n, Settings s, Contender<T> c,
                                            java.util.function.BiPredicate<T, T> same, PqBench.Progress progress,
                                            Consumer<Result> onResult) {
        List<Result> rows = new ArrayList<>();
        double[] seqMillis = new double[s.repeats()];
        T reference = null;
        for (int r = 0; r < s.warmups() + s.repeats(); r++) {
            progress.phase(algo + " " + SEQUENTIAL, phase(r, s));
            long t0 = System.nanoTime();
            Run<T> run = c.run(null);
            double ms = (System.nanoTime() - t0) / 1e6;
            progress.done();
            reference = run.result();
            if (r >= s.warmups()) {
                seqMillis[r - s.warmups()] = ms;
            }
        }
        double seqMedian = median(seqMillis);
        Result seq = new Result(algo, SEQUENTIAL, SEQUENTIAL, 1, n, seqMedian, seqMillis, n, 0, 0.0, 1.0, true, 0, 0);
        rows.add(seq);
        onResult.accept(seq);
        for (int threads : s.threads()) {
            for (String name : s.schedulers()) {
                if (name.equalsIgnoreCase(SEQUENTIAL)) {
                    continue;
                }
                Scheduler sched = new Scheduler(name, threads, s.seed());
                double[] ms = new double[s.repeats()];
                double[] tasks = new double[s.repeats()];
                double[] wasted = new double[s.repeats()];
                double[] blocked = new double[s.repeats()];
                double[] conflicts = new double[s.repeats()];
                boolean verified = true;
                for (int r = 0; r < s.warmups() + s.repeats(); r++) {
                    progress.phase(algo + " " + name + " x" + threads, phase(r, s));
                    long t0 = System.nanoTime();
                    Run<T> run = c.run(sched);
                    double took = (System.nanoTime() - t0) / 1e6;
                    progress.done();
                    verified &= same.test(run.result(), reference);
                    if (r >= s.warmups()) {
                        int k = r - s.warmups();
                        ms[k] = took;
                        tasks[k] = run.stats().tasks();
                        wasted[k] = run.stats().wastedTasks();
                        blocked[k] = run.counters().getOrDefault(DelaunayTriangulation.BLOCKED, 0L);
                        conflicts[k] = run.counters().getOrDefault(DelaunayTriangulation.CONFLICTS, 0L);
                    }
                }
                double med = median(ms);
                long w = Math.round(median(wasted));
                Result row = new Result(algo, name, sched.queueName(), threads, n, med, ms, Math.round(median(tasks)),
                        w, n == 0 ? 0.0 : (double) w / n, seqMedian / med, verified, Math.round(median(blocked)),
                        Math.round(median(conflicts)));
                rows.add(row);
                onResult.accept(row);
            }
        }
        return rows;
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
