package org.scaleml.cli.graph;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.scaleml.graph.CsrGraph;
import org.scaleml.graph.algo.BfsTree;
import org.scaleml.graph.algo.Components;
import org.scaleml.graph.algo.DeltaSteppingSssp;
import org.scaleml.graph.algo.FrontierBfs;
import org.scaleml.graph.algo.GraphWorkers;
import org.scaleml.graph.algo.IndependentSet;
import org.scaleml.graph.algo.Matching;
import org.scaleml.graph.algo.ParallelAStar;
import org.scaleml.graph.algo.ParallelBfs;
import org.scaleml.graph.algo.ParallelComponents;
import org.scaleml.graph.algo.ParallelGreedyMatching;
import org.scaleml.graph.algo.ParallelGreedyMis;
import org.scaleml.graph.algo.ParallelMsf;
import org.scaleml.graph.algo.ParallelSssp;
import org.scaleml.graph.algo.RoundsGreedyMatching;
import org.scaleml.graph.algo.RoundsGreedyMis;
import org.scaleml.graph.algo.Run;
import org.scaleml.graph.algo.SequentialBfs;
import org.scaleml.graph.algo.SequentialComponents;
import org.scaleml.graph.algo.SequentialDijkstra;
import org.scaleml.graph.algo.SequentialGreedyMatching;
import org.scaleml.graph.algo.SequentialGreedyMis;
import org.scaleml.graph.algo.SequentialMsf;
import org.scaleml.graph.algo.ShortestPaths;
import org.scaleml.graph.algo.SpanningForest;
import org.scaleml.graph.algo.TargetDistance;
import org.scaleml.graph.algo.UnionFindComponents;
import org.scaleml.graph.algo.UnionFindMsf;
import org.scaleml.sched.RunStats;
import org.scaleml.sched.Scheduler;

/**
 * Runs one graph algorithm by one of its methods ({@link GraphAlgo#methods()}: the parallel methods, the relaxed
 * scheduler, the sequential reference) and, on request, its sequential reference, and compares the two exactly. Used by the algorithm commands, {@code bench graph} and {@code demo}; free of command-line
 * concerns.
 *
 * <h2>What is compared ({@link #matches})</h2>
 * sssp: every distance; bfs: every level; astar: the source-target distance against Dijkstra's; cc: every label
 * (the smallest node id of the component) and the count; msf: total weight and edge count (the edge set is not
 * unique under equal weights); mis: the member set; matching: the mate of every node. The parallel algorithms
 * promise exactly these equalities on every scheduler.
 *
 * <h2>Checksum</h2>
 * A number that identifies the result: sssp the sum of finite distances, bfs the sum of levels, astar the
 * distance (-1 if the target is unreachable), cc the number of components, msf the total weight, mis the set's
 * size, matching the number of matched pairs.
 *
 * <p>Node ids here are internal ({@code 0..n-1}); callers convert file ids with {@link CsrGraph#nodeOf(long)}.
 * Stateless and thread-safe; the graph is only read.
 */
public final class GraphRun {
    private GraphRun() {
    }

    /**
     * One execution of an algorithm by one method.
     *
     * @param algo      the algorithm
     * @param method    the method, as {@link GraphAlgo#methods()} spells it
     * @param stats     the run's counts (tasks, wasted tasks, ...; for a method other than {@link
     *                  GraphAlgo#SCHEDULER}, scheduler and queue are the method's name)
     * @param nanos     wall time of the algorithm call (loading excluded)
     * @param checksum  see the class documentation
     * @param exactTasks tasks of the exact schedule when the result defines it (sssp, bfs: reachable nodes), else
     *                  -1
     * @param details   algorithm-specific figures for the JSON line, in a fixed order (unmodifiable)
     * @param run       the algorithm's {@link Run} (its result, of the reference's type, and {@code stats}), for
     *                  {@link #matches}
     */
    public record Execution(GraphAlgo algo, String method, RunStats stats, long nanos, long checksum, long exactTasks,
                            Map<String, Object> details, Run<?> run) {
        /** Wall time in milliseconds. */
        public double millis() {
            return nanos / 1e6;
        }
    }

    /**
     * One execution of the sequential reference.
     *
     * @param checksum   comparable with {@link Execution#checksum()}
     * @param nanos      wall time
     * @param settled    nodes the reference took from its queue where that is defined (sssp: reachable nodes;
     *                   astar: Dijkstra's settled nodes), else -1
     * @param result     the reference's result, of the same type as the parallel {@link Run#result()}
     */
    public record Reference(GraphAlgo algo, long checksum, long nanos, long settled, Object result) {
        /** Wall time in milliseconds. */
        public double millis() {
            return nanos / 1e6;
        }
    }

    /**
     * Runs {@code algo} on {@code scheduler} (method {@link GraphAlgo#SCHEDULER}).
     *
     * @see #execute(CsrGraph, GraphAlgo, String, Scheduler, int, int, long)
     */
    public static Execution execute(CsrGraph g, GraphAlgo algo, Scheduler scheduler, int source, int target,
                                    long orderSeed) {
        return execute(g, algo, GraphAlgo.SCHEDULER, scheduler, source, target, orderSeed);
    }

    /**
     * Runs {@code algo} by {@code method}.
     *
     * @param method    one of {@code algo.methods()}
     * @param scheduler the scheduler of method {@link GraphAlgo#SCHEDULER}; the other parallel methods take only
     *                  its thread count, the sequential method nothing
     * @param source    internal source node (sssp, bfs, astar; ignored otherwise)
     * @param target    internal target node (astar; ignored otherwise)
     * @param orderSeed seed of the greedy order (mis, matching; ignored otherwise)
     * @throws IllegalArgumentException if the method is not one of the algorithm's, a node is out of range or the
     *                                  graph does not suit the algorithm (e.g. astar without coordinates, negative
     *                                  weights)
     */
    public static Execution execute(CsrGraph g, GraphAlgo algo, String method, Scheduler scheduler, int source,
                                    int target, long orderSeed) {
        return execute(g, algo, method, scheduler, source, target, orderSeed, null);
    }

    /**
     * {@link #execute(CsrGraph, GraphAlgo, String, Scheduler, int, int, long)} with the parallel methods' helper
     * threads taken from {@code workers} (kept between runs; null: each run starts its own). The time measured
     * includes handing the work to them.
     */
    public static Execution execute(CsrGraph g, GraphAlgo algo, String method, Scheduler scheduler, int source,
                                    int target, long orderSeed, GraphWorkers workers) {
        if (workers != null) {
            return workers.call(() -> execute(g, algo, method, scheduler, source, target, orderSeed, null));
        }
        Objects.requireNonNull(scheduler, "scheduler");
        String m = algo.method(method);
        int threads = scheduler.threads();
        Map<String, Object> details = new LinkedHashMap<>();
        long start = System.nanoTime();
        switch (algo) {
            case SSSP: {
                Run<ShortestPaths> r = switch (m) {
                    case DeltaSteppingSssp.METHOD -> DeltaSteppingSssp.run(g, source, threads);
                    case GraphAlgo.SEQUENTIAL -> {
                        ShortestPaths p = SequentialDijkstra.shortestPaths(g, source);
                        yield sequential(p, start, p.settled());
                    }
                    default -> ParallelSssp.run(g, source, scheduler);
                };
                long nanos = System.nanoTime() - start;
                int reachable = r.result().reachable();
                details.put("reachable", reachable);
                return done(algo, m, nanos, r.result().checksum().sum(), reachable, details, r);
            }
            case BFS: {
                Run<BfsTree> r = switch (m) {
                    case FrontierBfs.METHOD -> FrontierBfs.run(g, source, threads);
                    case GraphAlgo.SEQUENTIAL -> {
                        BfsTree t = SequentialBfs.tree(g, source);
                        yield sequential(t, start, t.reachable());
                    }
                    default -> ParallelBfs.run(g, source, scheduler);
                };
                long nanos = System.nanoTime() - start;
                int reachable = r.result().reachable();
                details.put("reachable", reachable);
                return done(algo, m, nanos, r.result().checksum().sum(), reachable, details, r);
            }
            case ASTAR: {
                if (!g.hasCoordinates()) {
                    throw new IllegalArgumentException("astar needs node coordinates; give --coords FILE "
                            + "(a DIMACS .co file)");
                }
                Run<TargetDistance> r = switch (m) {
                    case GraphAlgo.SEQUENTIAL -> {
                        TargetDistance t = SequentialDijkstra.distance(g, source, target);
                        yield sequential(t, start, t.settled());
                    }
                    default -> ParallelAStar.run(g, source, target, scheduler);
                };
                long nanos = System.nanoTime() - start;
                long distance = r.result().distance();
                boolean reachable = distance != SequentialDijkstra.UNREACHABLE;
                details.put("distance", reachable ? distance : null);
                details.put("expanded", r.result().settled());
                // Dijkstra settles what it expands and prunes nothing
                details.put("settled", r.counters().getOrDefault(ParallelAStar.SETTLED, (long) r.result().settled()));
                details.put("pruned", r.counters().getOrDefault(ParallelAStar.PRUNED, 0L));
                return done(algo, m, nanos, reachable ? distance : -1, -1, details, r);
            }
            case CC: {
                Run<Components> r = switch (m) {
                    case UnionFindComponents.METHOD -> UnionFindComponents.run(g, threads);
                    case UnionFindComponents.AFFOREST_METHOD -> UnionFindComponents.runAfforest(g, threads);
                    case GraphAlgo.SEQUENTIAL -> sequential(SequentialComponents.run(g), start, g.nodes());
                    default -> ParallelComponents.run(g, scheduler);
                };
                long nanos = System.nanoTime() - start;
                details.put("components", r.result().count());
                details.put("largestComponent", r.result().largestSize());
                return done(algo, m, nanos, r.result().count(), -1, details, r);
            }
            case MSF: {
                Run<SpanningForest> r = switch (m) {
                    case UnionFindMsf.METHOD -> UnionFindMsf.run(g, threads);
                    case GraphAlgo.SEQUENTIAL -> sequential(SequentialMsf.run(g), start, g.nodes());
                    default -> ParallelMsf.run(g, scheduler);
                };
                long nanos = System.nanoTime() - start;
                details.put("forestWeight", r.result().totalWeight());
                details.put("forestEdges", r.result().edgeCount());
                details.put("rounds", (int) r.counters().getOrDefault(ParallelMsf.ROUNDS, 0L).longValue());
                return done(algo, m, nanos, r.result().totalWeight(), -1, details, r);
            }
            case MIS: {
                Run<IndependentSet> r = switch (m) {
                    case RoundsGreedyMis.METHOD -> RoundsGreedyMis.run(g, orderSeed, threads);
                    case GraphAlgo.SEQUENTIAL -> sequential(SequentialGreedyMis.run(g, orderSeed), start, g.nodes());
                    default -> ParallelGreedyMis.run(g, orderSeed, scheduler);
                };
                long nanos = System.nanoTime() - start;
                details.put("setSize", r.result().size());
                return done(algo, m, nanos, r.result().size(), -1, details, r);
            }
            case MATCHING: {
                Run<Matching> r = switch (m) {
                    case RoundsGreedyMatching.METHOD -> RoundsGreedyMatching.run(g, orderSeed, threads);
                    case GraphAlgo.SEQUENTIAL -> sequential(SequentialGreedyMatching.run(g, orderSeed), start,
                            g.nodes());
                    default -> ParallelGreedyMatching.run(g, orderSeed, scheduler);
                };
                long nanos = System.nanoTime() - start;
                details.put("matchedPairs", r.result().size());
                return done(algo, m, nanos, r.result().size(), -1, details, r);
            }
            default:
                throw new IllegalArgumentException("algorithm " + algo);
        }
    }

    /** A sequential reference's result as a run of method {@link GraphAlgo#SEQUENTIAL}: one thread, no waste. */
    private static <T> Run<T> sequential(T result, long start, long tasks) {
        return new Run<>(result, new RunStats(GraphAlgo.SEQUENTIAL, GraphAlgo.SEQUENTIAL, 1, tasks, 0, 0, -1,
                System.nanoTime() - start));
    }

    private static Execution done(GraphAlgo algo, String method, long nanos, long checksum, long exactTasks,
                                  Map<String, Object> details, Run<?> run) {
        return new Execution(algo, method, run.stats(), nanos, checksum, exactTasks, Collections.unmodifiableMap(details),
                run);
    }

    /** Runs the sequential reference of {@code algo} (arguments as for {@link #execute}). */
    public static Reference reference(CsrGraph g, GraphAlgo algo, int source, int target, long orderSeed) {
        long start = System.nanoTime();
        switch (algo) {
            case SSSP: {
                ShortestPaths p = SequentialDijkstra.shortestPaths(g, source);
                long nanos = System.nanoTime() - start;
                return new Reference(algo, p.checksum().sum(), nanos, p.settled(), p);
            }
            case BFS: {
                BfsTree t = SequentialBfs.tree(g, source);
                long nanos = System.nanoTime() - start;
                return new Reference(algo, t.checksum().sum(), nanos, t.reachable(), t);
            }
            case ASTAR: {
                TargetDistance t = SequentialDijkstra.distance(g, source, target);
                long nanos = System.nanoTime() - start;
                long d = t.distance() == SequentialDijkstra.UNREACHABLE ? -1 : t.distance();
                return new Reference(algo, d, nanos, t.settled(), t);
            }
            case CC: {
                Components c = SequentialComponents.run(g);
                return new Reference(algo, c.count(), System.nanoTime() - start, -1, c);
            }
            case MSF: {
                SpanningForest f = SequentialMsf.run(g);
                return new Reference(algo, f.totalWeight(), System.nanoTime() - start, -1, f);
            }
            case MIS: {
                IndependentSet s = SequentialGreedyMis.run(g, orderSeed);
                return new Reference(algo, s.size(), System.nanoTime() - start, -1, s);
            }
            case MATCHING: {
                Matching m = SequentialGreedyMatching.run(g, orderSeed);
                return new Reference(algo, m.size(), System.nanoTime() - start, -1, m);
            }
            default:
                throw new IllegalArgumentException("algorithm " + algo);
        }
    }

    /**
     * Compares a parallel result with the reference exactly (see the class documentation).
     *
     * @return null if they agree, else a one-line description of the first difference (internal node ids)
     */
    public static String matches(Execution e, Reference ref) {
        if (e.algo() != ref.algo()) {
            throw new IllegalArgumentException("comparing " + e.algo() + " with a reference of " + ref.algo());
        }
        switch (e.algo()) {
            case SSSP:
                return firstDifference("distance", result(e, ShortestPaths.class).dist(),
                        ((ShortestPaths) ref.result()).dist());
            case BFS:
                return firstDifference("level", result(e, BfsTree.class).levels(), ((BfsTree) ref.result()).levels());
            case ASTAR:
                return e.checksum() == ref.checksum() ? null
                        : "distance " + e.checksum() + " but Dijkstra says " + ref.checksum();
            case CC: {
                Components p = result(e, Components.class);
                Components s = (Components) ref.result();
                if (p.count() != s.count()) {
                    return p.count() + " components but the reference has " + s.count();
                }
                return firstDifference("component label", p.labels(), s.labels());
            }
            case MSF: {
                SpanningForest p = result(e, SpanningForest.class);
                SpanningForest s = (SpanningForest) ref.result();
                if (p.totalWeight() != s.totalWeight() || p.edgeCount() != s.edgeCount()) {
                    return "forest weight " + p.totalWeight() + " with " + p.edgeCount() + " edges but the reference"
                            + " has weight " + s.totalWeight() + " with " + s.edgeCount() + " edges";
                }
                return null;
            }
            case MIS: {
                boolean[] p = result(e, IndependentSet.class).member();
                boolean[] s = ((IndependentSet) ref.result()).member();
                int i = Arrays.mismatch(p, s);
                return i < 0 ? null : "node " + i + (p.length > i && p[i] ? " is" : " is not")
                        + " in the set, unlike in the sequential greedy set";
            }
            case MATCHING:
                return firstDifference("mate", result(e, Matching.class).mate(), ((Matching) ref.result()).mate());
            default:
                throw new IllegalArgumentException("algorithm " + e.algo());
        }
    }

    /** The parallel run's result, of the type the algorithm's {@link Run} carries. */
    private static <T> T result(Execution e, Class<T> type) {
        return type.cast(e.run().result());
    }

    private static String firstDifference(String what, long[] got, long[] want) {
        int i = Arrays.mismatch(got, want);
        return i < 0 ? null : what + " of node " + i + " is " + show(got, i) + " but the reference has " + show(want, i);
    }

    private static String firstDifference(String what, int[] got, int[] want) {
        int i = Arrays.mismatch(got, want);
        if (i < 0) {
            return null;
        }
        String g = i < got.length ? Integer.toString(got[i]) : "missing";
        String w = i < want.length ? Integer.toString(want[i]) : "missing";
        return what + " of node " + i + " is " + g + " but the reference has " + w;
    }

    private static String show(long[] a, int i) {
        if (i >= a.length) {
            return "missing";
        }
        return a[i] == SequentialDijkstra.UNREACHABLE ? "unreachable" : Long.toString(a[i]);
    }
}
