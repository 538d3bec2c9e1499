package org.scaleml.graph.algo;

import static org.scaleml.graph.algo.ParallelRuns.LONGS;

import java.util.LinkedHashMap;
import java.util.Map;

import org.scaleml.graph.CsrGraph;
import org.scaleml.sched.RunStats;
import org.scaleml.sched.Scheduler;

/**
 * Parallel A* for one source-target query on the relaxed scheduler: label correcting with priority {@code
 * g(v) + h(v)} and pruning by the best target distance found so far.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Input:</b> a graph with coordinates and non-negative weights; the heuristic is {@link
 *       SequentialAStar}'s: {@code h(v) = floor(c * |p(v) - p(target)|)} with {@code c} = {@link
 *       SequentialAStar#admissibleScale(CsrGraph)} (or a caller-given admissible scale).</li>
 *   <li><b>Output:</b> exactly Dijkstra's distance from source to target ({@link
 *       SequentialDijkstra#UNREACHABLE} if none), on every scheduler and thread count, as the {@link
 *       TargetDistance} of the sequential searches, whose {@code settled} here counts expansions (a node
 *       expanded again after its distance improved counts again; the target is not expanded); beside it the
 *       run's {@link RunStats} (wasted = stale + pruned) and the counters {@link #SETTLED} (distinct nodes
 *       expanded) and {@link #PRUNED}.</li>
 *   <li><b>Relaxation cost:</b> wasted tasks are stale ones (g improved after the push) plus pruned ones
 *       ({@code f >= } best target distance known when popped). Sequential A* never pops the pruned ones (it
 *       stops at the target), so compare the expansions of both ({@link TargetDistance#settled()}).
 *       The search runs until the queue is empty; after the target is optimal every remaining task is pruned at
 *       O(1) cost.</li>
 *   <li><b>Complexity:</b> 8 bytes per node of tentative distances and 1 byte of "expanded" flag, allocated per
 *       call (O(n) to initialise; no reuse across queries); an O(m) scan for the scale and the weights.</li>
 *   <li><b>Thread safety:</b> stateless; the graph is only read.</li>
 * </ul>
 */
public final class ParallelAStar {
    /*
     * Algorithm. gd[] holds tentative distances from the source (+inf initially). A task is (f, v) with
     * f = gd(v) + h(v) at push time. On pop: recompute h(v) (a pure function), gv = f - h(v); stale if gv >
     * gd[v] (getAcquire). Let B = gd[target] (getAcquire). If v is the target, nothing to expand. If f >= B the
     * task is pruned: every path through v is at least g(v) + h(v) = f >= B long (h admissible), so it cannot
     * improve the target. Otherwise relax v's out-arcs like SSSP, but skip (neither lower nor push) a neighbour
     * u whose nd + h(u) >= B.
     *
     * Why the answer is exact. Let P = s..t be a shortest path of length D. While gd[t] > D, every node x of P
     * has d(x) + h(x) <= D < gd[t], so no task carrying x's exact distance is pruned and no relaxation along P
     * is skipped; by the usual label-correcting induction along P, t eventually receives D. Values are always
     * lengths of real paths, so gd[t] never goes below D. Pruning uses whatever B a worker reads: a stale
     * (larger) B only prunes less. Inconsistent (rounded) heuristics are harmless: a node whose g improves is
     * simply expanded again, as in the sequential version.
     *
     * Counters. Expansions (useful tasks that are not the target) and pruned tasks go to per-worker padded
     * counters; "settled" marks a byte per node the first time it is expanded (plain writes of 1 by possibly
     * several workers: a benign race on a monotone flag, read after the run).
     *
     * Priorities, schedulers and citations as in ParallelSssp: [1] Alistarh, Brown, Kopinsky, Nadiradze,
     * PODC 2018; [2] Alistarh, Nadiradze, Koval, SPAA 2019; [3] Postnikova et al., PPoPP 2022; [4] Hart,
     * Nilsson, Raphael, 1968 (A*).
     */
    private static final long H_CAP = 1L << 61;
    private static final int EXPANDED_SLOT = 0;
    private static final int PRUNED_SLOT = 1;

    /** Name of the {@link Run#counters() counter} of distinct nodes expanded at least once. */
    public static final String SETTLED = "settled";
    /**
     * Name of the {@link Run#counters() counter} of tasks dropped because their {@code f} could not beat the best
     * target distance known when they were popped (part of the wasted tasks).
     */
    public static final String PRUNED = "pruned";

    private ParallelAStar() {
    }

    /**
     * Shortest distance from {@code source} to {@code target} with the admissible scale of {@link
     * SequentialAStar#admissibleScale(CsrGraph)}.
     *
     * @throws IllegalStateException    if {@code g} has no coordinates
     * @throws IllegalArgumentException if a node is out of range or a weight is negative
     */
    public static Run<TargetDistance> run(CsrGraph g, int source, int target, Scheduler scheduler) {
        return run(g, source, target, SequentialAStar.admissibleScale(g), scheduler);
    }

    /**
     * Like {@link #run(CsrGraph, int, int, Scheduler)} with a caller-chosen scale, which must be admissible (at
     * most weight / Euclidean length on every arc), or the distance may come out too long.
     *
     * @throws IllegalArgumentException if the scale is negative or not finite, a node is out of range or a
     *                                  weight is negative
     */
    public static Run<TargetDistance> run(CsrGraph g, int source, int target, double scale,
                                          Scheduler scheduler) {
        ParallelRuns.require(scheduler);
        if (!(scale >= 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("heuristic scale must be finite and >= 0: " + scale);
        }
        if (!g.hasCoordinates()) {
            throw new IllegalStateException("A* needs node coordinates: " + g);
        }
        SequentialDijkstra.checkNode(g, source, "source");
        SequentialDijkstra.checkNode(g, target, "target");
        SequentialDijkstra.checkNonNegative(g);
        final long[] off = g.offsets();
        final int[] tgt = g.targets();
        final int[] w = g.hasWeights() ? g.weights() : null;
        final int[] xs = g.xs();
        final int[] ys = g.ys();
        final int tx = xs[target];
        final int ty = ys[target];
        final long[] gd = SequentialDijkstra.newDistances(g.nodes());
        final byte[] expandedOnce = new byte[g.nodes()];
        final ParallelRuns.Counters counters = new ParallelRuns.Counters(scheduler.threads(), 2);
        gd[source] = 0;
        final long h0 = h(scale, xs[source], ys[source], tx, ty);
        RunStats stats = scheduler.run(sink -> sink.push(h0, source), (f, payload, ctx) -> {
            int v = (int) payload;
            long gv = f - h(scale, xs[v], ys[v], tx, ty);
            if (gv > (long) LONGS.getAcquire(gd, v)) {
                return false; // stale
            }
            if (v == target) {
                return true;
            }
            long bound = (long) LONGS.getAcquire(gd, target);
            if (f >= bound) {
                counters.add(ctx.worker(), PRUNED_SLOT, 1);
                return false;
            }
            counters.add(ctx.worker(), EXPANDED_SLOT, 1);
            expandedOnce[v] = 1;
            for (int e = (int) off[v], end = (int) off[v + 1]; e < end; e++) {
                int u = tgt[e];
                long nd = gv + (w == null ? 1 : w[e]);
                long cur = (long) LONGS.getAcquire(gd, u);
                if (nd >= cur) {
                    continue;
                }
                long fu = nd + h(scale, xs[u], ys[u], tx, ty);
                if (fu >= bound) {
                    continue; // cannot improve the target
                }
                while (nd < cur) {
                    long witness = (long) LONGS.compareAndExchange(gd, u, cur, nd);
                    if (witness == cur) {
                        ctx.push(fu, u);
                        break;
                    }
                    cur = witness;
                }
            }
            return true;
        });
        long settled = 0;
        for (byte b : expandedOnce) {
            settled += b;
        }
        Map<String, Long> more = new LinkedHashMap<>();
        more.put(SETTLED, settled);
        more.put(PRUNED, counters.sum(PRUNED_SLOT));
        TargetDistance answer = new TargetDistance(source, target, gd[target], counters.sum(EXPANDED_SLOT));
        return new Run<>(answer, stats, more);
    }

    /** The heuristic of {@link SequentialAStar}: rounded down and capped so that g + h cannot overflow. */
    private static long h(double scale, int x, int y, int tx, int ty) {
        return Math.min(H_CAP, (long) (scale * SequentialAStar.euclid(x, y, tx, ty)));
    }
}
