package org.scaleml.cli.graph;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.scaleml.graph.CsrGraph;
import org.scaleml.graph.algo.Components;
import org.scaleml.graph.algo.DistanceChecksum;
import org.scaleml.graph.algo.IndependentSet;
import org.scaleml.graph.algo.Matching;
import org.scaleml.graph.algo.ParallelAStar;
import org.scaleml.graph.algo.ParallelBfs;
import org.scaleml.graph.algo.ParallelComponents;
import org.scaleml.graph.algo.ParallelGreedyMatching;
import org.scaleml.graph.algo.ParallelGreedyMis;
import org.scaleml.graph.algo.ParallelMsf;
import org.scaleml.graph.algo.ParallelSssp;
import org.scaleml.graph.algo.SequentialBfs;
import org.scaleml.graph.algo.SequentialComponents;
import org.scaleml.graph.algo.SequentialDijkstra;
import org.scaleml.graph.algo.SequentialGreedyMatching;
import org.scaleml.graph.algo.SequentialGreedyMis;
import org.scaleml.graph.algo.SequentialMsf;
import org.scaleml.graph.algo.ShortestPaths;
import org.scaleml.graph.algo.SpanningForest;
import org.scaleml.graph.algo.TargetDistance;
import org.scaleml.sched.RunStats;
import org.scaleml.sched.Scheduler;

/**
 * Runs one graph algorithm on the relaxed scheduler and, on request, its sequential reference, and compares the
 * two exactly. Used by the algorithm commands, {@code bench graph} and {@code demo}; free of command-line
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
     * One execution of a parallel algorithm.
     *
     * @param algo      the algorithm
     * @param stats     the scheduler's counts (tasks, wasted tasks, ...)
     * @param nanos     wall time of the algorithm call (loading excluded)
     * @param checksum  see the class documentation
     * @param exactTasks tasks of the exact schedule when the result defines it (sssp, bfs: reachable nodes), else
     *                  -1
     * @param details   algorithm-specific figures for the JSON line, in a fixed order (unmodifiable)
     * @param result    the algorithm's own result record, for {@link #matches}
     */
    public record Execution(GraphAlgo algo, RunStats stats, long nanos, long checksum, long exactTasks,
                            Map<String, Object> details, Object result) {
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
     * @param result     the reference's own result
     */
    public record Reference(GraphAlgo algo, long checksum, long nanos, long settled, Object result) {
        /** Wall time in milliseconds. */
        public double millis() {
            return nanos / 1e6;
        }
    }

    /**
     * Runs {@code algo} on {@code scheduler}.
     *
     * @param source    internal source node (sssp, bfs, astar; ignored otherwise)
     * @param target    internal target node (astar; ignored otherwise)
     * @param orderSeed seed of the greedy order (mis, matching; ignored otherwise)
     * @throws IllegalArgumentException if a node is out of range or the graph does not suit the algorithm (e.g.
     *                                  astar without coordinates, negative weights)
     */
    public static Execution execute(CsrGraph g, GraphAlgo algo, Scheduler scheduler, int source, int target,
                                    long orderSeed) {
        Objects.requireNonNull(scheduler, "scheduler");
        Map<String, Object> details = new LinkedHashMap<>();
        long start = System.nanoTime();
        switch (algo) {
            case SSSP: {
                ParallelSssp.Result r = ParallelSssp.run(g, source, scheduler);
                long nanos = System.nanoTime() - start;
                details.put("reachable", r.reachable());
                return done(algo, r.stats(), nanos, r.checksum(), r.reachable(), details, r);
            }
            case BFS: {
                ParallelBfs.Result r = ParallelBfs.run(g, source, scheduler);
                long nanos = System.nanoTime() - start;
                details.put("reachable", r.reachable());
                return done(algo, r.stats(), nanos, r.checksum(), r.reachable(), details, r);
            }
            case ASTAR: {
                if (!g.hasCoordinates()) {
                    throw new IllegalArgumentException("astar needs node coordinates; give --coords FILE "
                            + "(a DIMACS .co file)");
                }
                ParallelAStar.Result r = ParallelAStar.run(g, source, target, scheduler);
                long nanos = System.nanoTime() - start;
                boolean reachable = r.distance() != SequentialDijkstra.UNREACHABLE;
                details.put("distance", reachable ? r.distance() : null);
                details.put("expanded", r.expanded());
                details.put("settled", r.settled());
                details.put("pruned", r.pruned());
                return done(algo, r.stats(), nanos, reachable ? r.distance() : -1, -1, details, r);
            }
            case CC: {
                ParallelComponents.Result r = ParallelComponents.run(g, scheduler);
                long nanos = System.nanoTime() - start;
                details.put("components", r.components().count());
                details.put("largestComponent", r.components().largestSize());
                return done(algo, r.stats(), nanos, r.checksum(), -1, details, r);
            }
            case MSF: {
                ParallelMsf.Result r = ParallelMsf.run(g, scheduler);
                long nanos = System.nanoTime() - start;
                details.put("forestWeight", r.forest().totalWeight());
                details.put("forestEdges", r.forest().edgeCount());
                details.put("rounds", r.rounds());
                return done(algo, r.stats(), nanos, r.checksum(), -1, details, r);
            }
            case MIS: {
                ParallelGreedyMis.Result r = ParallelGreedyMis.run(g, orderSeed, scheduler);
                long nanos = System.nanoTime() - start;
                details.put("setSize", r.set().size());
                return done(algo, r.stats(), nanos, r.checksum(), -1, details, r);
            }
            case MATCHING: {
                ParallelGreedyMatching.Result r = ParallelGreedyMatching.run(g, orderSeed, scheduler);
                long nanos = System.nanoTime() - start;
                details.put("matchedPairs", r.matching().size());
                return done(algo, r.stats(), nanos, r.checksum(), -1, details, r);
            }
            default:
                throw new IllegalArgumentException("algorithm " + algo);
        }
    }

    private static Execution done(GraphAlgo algo, RunStats stats, long nanos, long checksum, long exactTasks,
                                  Map<String, Object> details, Object result) {
        return new Execution(algo, stats, nanos, checksum, exactTasks, Collections.unmodifiableMap(details), result);
    }

    /** Runs the sequential reference of {@code algo} (arguments as for {@link #execute}). */
    public static Reference reference(CsrGraph g, GraphAlgo algo, int source, int target, long orderSeed) {
        long start = System.nanoTime();
        switch (algo) {
            case SSSP: {
                ShortestPaths p = SequentialDijkstra.shortestPaths(g, source);
                long nanos = System.nanoTime() - start;
                return new Reference(algo, p.checksum().sum(), nanos, p.settled(), p.dist());
            }
            case BFS: {
                int[] levels = SequentialBfs.levels(g, source);
                long nanos = System.nanoTime() - start;
                DistanceChecksum c = SequentialBfs.checksum(levels);
                return new Reference(algo, c.sum(), nanos, c.reachable(), levels);
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
                return firstDifference("distance", ((ParallelSssp.Result) e.result()).dist(), (long[]) ref.result());
            case BFS:
                return firstDifference("level", ((ParallelBfs.Result) e.result()).levels(), (int[]) ref.result());
            case ASTAR:
                return e.checksum() == ref.checksum() ? null
                        : "distance " + e.checksum() + " but Dijkstra says " + ref.checksum();
            case CC: {
                Components p = ((ParallelComponents.Result) e.result()).components();
                Components s = (Components) ref.result();
                if (p.count() != s.count()) {
                    return p.count() + " components but the reference has " + s.count();
                }
                return firstDifference("component label", p.labels(), s.labels());
            }
            case MSF: {
                SpanningForest p = ((ParallelMsf.Result) e.result()).forest();
                SpanningForest s = (SpanningForest) ref.result();
                if (p.totalWeight() != s.totalWeight() || p.edgeCount() != s.edgeCount()) {
                    return "forest weight " + p.totalWeight() + " with " + p.edgeCount() + " edges but the reference"
                            + " has weight " + s.totalWeight() + " with " + s.edgeCount() + " edges";
                }
                return null;
            }
            case MIS: {
                boolean[] p = ((ParallelGreedyMis.Result) e.result()).set().member();
                boolean[] s = ((IndependentSet) ref.result()).member();
                int i = Arrays.mismatch(p, s);
                return i < 0 ? null : "node " + i + (p.length > i && p[i] ? " is" : " is not")
                        + " in the set, unlike in the sequential greedy set";
            }
            case MATCHING:
                return firstDifference("mate", ((ParallelGreedyMatching.Result) e.result()).matching().mate(),
                        ((Matching) ref.result()).mate());
            default:
                throw new IllegalArgumentException("algorithm " + e.algo());
        }
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
