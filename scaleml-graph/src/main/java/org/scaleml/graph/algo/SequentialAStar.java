package org.scaleml.graph.algo;

import org.scaleml.concurrent.heap.IndexedMinHeap;
import org.scaleml.graph.CsrGraph;

/**
 * Sequential A* for source-target queries on graphs with node coordinates, with a Euclidean heuristic whose
 * scale is derived from the graph itself so that it is admissible by construction. The exact reference for
 * the parallel A*.
 *
 * <pre>{@code
 * SequentialAStar astar = new SequentialAStar(g);          // O(n + m) once
 * TargetDistance r = astar.query(s, t);                   // r.distance() == Dijkstra's, fewer settled
 * }</pre>
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Input:</b> a graph with {@linkplain CsrGraph#hasCoordinates() coordinates} and non-negative
 *       weights (1 per arc if unweighted).</li>
 *   <li><b>Exactness:</b> {@link #query} returns exactly the Dijkstra distance, for any coordinates: the
 *       heuristic is admissible (never above the true remaining distance) with the scale of {@link
 *       #admissibleScale(CsrGraph)}, and nodes are re-expanded if the rounded heuristic is not consistent,
 *       so no assumption beyond admissibility is needed. A caller-supplied scale must itself be admissible
 *       (at most {@code weight / euclid} on every arc), or distances may come out too long.</li>
 *   <li><b>Cost:</b> the constructor scans all arcs once (O(n + m)) and allocates 28 bytes per node of
 *       scratch, reused by every query; a query costs O(k log k) for the k nodes it touches (reset included),
 *       never more than Dijkstra's O((n + m) log n).</li>
 *   <li><b>Thread safety:</b> an instance is not thread-safe (it reuses its scratch arrays); use one per
 *       thread. The graph is only read.</li>
 * </ul>
 *
 * <h2>Algorithm</h2>
 * A* [1] is Dijkstra with key {@code g(v) + h(v)}, where {@code g} is the tentative distance and {@code h}
 * a lower bound on the distance from {@code v} to the target; it stops when the target is popped. With
 * {@code h(v) = floor(c * |p(v) - p(t)|)}, where {@code p} gives a node's coordinates and {@code |.|} is the
 * Euclidean norm, {@code h} is admissible whenever {@code c * |p(u) - p(v)| <= w(u, v)} for every arc: by the
 * triangle inequality, {@code c |p(v) - p(t)| <= c * sum of |arc| <= sum of w} along any path. The largest
 * such {@code c} is {@code min over arcs of w / |p(u) - p(v)|} (arcs of zero length are no constraint; an arc
 * of weight 0 and positive length forces {@code c = 0}, i.e. plain Dijkstra). We shrink it by a relative
 * 10<sup>-9</sup> and round {@code h} down, which absorbs the floating-point error of the square roots.
 * This works for DIMACS road networks, whose {@code .co} coordinates are longitude and latitude in
 * millionths of a degree and whose weights are distances (the bound treats the coordinates as a plane: it
 * holds for any projection, it is just tighter for a good one), and for the generators' coordinates
 * (factor at least 1). The heuristic is then also consistent up to rounding; any inconsistency only causes a
 * re-expansion, counted in {@link TargetDistance#settled()}.
 *
 * <p>[1] P. E. Hart, N. J. Nilsson, B. Raphael, A formal basis for the heuristic determination of minimum
 * cost paths, IEEE Transactions on Systems Science and Cybernetics, 1968.
 */
public final class SequentialAStar {
    /** Relative safety margin applied to the computed scale (absorbs floating-point error). */
    static final double SCALE_MARGIN = 1e-9;
    private static final long H_CAP = 1L << 61;

    private final CsrGraph g;
    private final double scale;
    private final long[] off;
    private final int[] tgt;
    private final int[] w;
    private final int[] xs;
    private final int[] ys;
    private final long[] dist;
    private final int[] touched;
    private int touchedCount;
    private final IndexedMinHeap heap;

    /**
     * Prepares queries on {@code g} with the heuristic scale {@link #admissibleScale(CsrGraph)}.
     *
     * @throws IllegalStateException if {@code g} has no coordinates
     * @throws IllegalArgumentException if a weight is negative
     */
    public SequentialAStar(CsrGraph g) {
        this(g, admissibleScale(g));
    }

    /**
     * Prepares queries on {@code g} with a caller-chosen heuristic scale {@code scale >= 0}, which the caller
     * guarantees to be admissible (for example 1 for {@code GraphGenerators.randomGeometric} and grids).
     *
     * @throws IllegalStateException if {@code g} has no coordinates
     * @throws IllegalArgumentException if the scale is negative or not finite, or a weight is negative
     */
    public SequentialAStar(CsrGraph g, double scale) {
        if (!(scale >= 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("heuristic scale must be finite and >= 0: " + scale);
        }
        SequentialDijkstra.checkNonNegative(g);
        this.g = g;
        this.scale = scale;
        this.off = g.offsets();
        this.tgt = g.targets();
        this.w = g.hasWeights() ? g.weights() : null;
        this.xs = g.xs();
        this.ys = g.ys();
        this.dist = SequentialDijkstra.newDistances(g.nodes());
        this.touched = new int[g.nodes()];
        this.heap = new IndexedMinHeap(g.nodes());
    }

    /**
     * The largest factor {@code c} (less a relative 10<sup>-9</sup> margin) such that {@code c} times the
     * Euclidean length of every arc is at most its weight: {@code min over arcs of weight / length}, ignoring
     * arcs of length 0; 0 if some arc of positive length has weight 0 or if no arc has positive length. O(m).
     *
     * @throws IllegalStateException if {@code g} has no coordinates
     */
    public static double admissibleScale(CsrGraph g) {
        int[] x = g.xs();
        int[] y = g.ys();
        long[] off = g.offsets();
        int[] tgt = g.targets();
        int[] w = g.hasWeights() ? g.weights() : null;
        double min = Double.POSITIVE_INFINITY;
        for (int u = 0, n = g.nodes(); u < n; u++) {
            for (int e = (int) off[u], end = (int) off[u + 1]; e < end; e++) {
                int v = tgt[e];
                double len = euclid(x[u], y[u], x[v], y[v]);
                if (len > 0) {
                    double ratio = (w == null ? 1 : w[e]) / len;
                    if (ratio < min) {
                        min = ratio;
                    }
                }
            }
        }
        if (min == Double.POSITIVE_INFINITY || !(min > 0)) {
            return 0;
        }
        return min * (1 - SCALE_MARGIN);
    }

    /** @return the heuristic scale in use */
    public double scale() {
        return scale;
    }

    /** @return the graph */
    public CsrGraph graph() {
        return g;
    }

    /**
     * The shortest distance from {@code source} to {@code target}.
     *
     * @return the distance ({@link SequentialDijkstra#UNREACHABLE} if none) and the number of nodes expanded
     * @throws IllegalArgumentException if a node is out of range
     */
    public TargetDistance query(int source, int target) {
        SequentialDijkstra.checkNode(g, source, "source");
        SequentialDijkstra.checkNode(g, target, "target");
        final long[] dist = this.dist;
        final long[] off = this.off;
        final int[] tgt = this.tgt;
        final int[] w = this.w;
        final int tx = xs[target];
        final int ty = ys[target];
        long settled = 0;
        long answer = SequentialDijkstra.UNREACHABLE;
        try {
            touch(source, 0);
            heap.insertOrDecrease(source, h(source, tx, ty));
            while (!heap.isEmpty()) {
                int u = heap.popMin();
                settled++;
                long du = dist[u];
                if (u == target) {
                    answer = du;
                    break;
                }
                for (int e = (int) off[u], end = (int) off[u + 1]; e < end; e++) {
                    int v = tgt[e];
                    long nd = du + (w == null ? 1 : w[e]);
                    long dv = dist[v];
                    if (nd < dv) {
                        if (dv == SequentialDijkstra.UNREACHABLE) {
                            touched[touchedCount++] = v;
                        }
                        dist[v] = nd;
                        heap.insertOrDecrease(v, nd + h(v, tx, ty));
                    }
                }
            }
        } finally {
            reset();
        }
        return new TargetDistance(source, target, answer, settled);
    }

    private void touch(int v, long d) {
        touched[touchedCount++] = v;
        dist[v] = d;
    }

    /** Restores the scratch arrays to "nothing reached", in time proportional to what the query touched. */
    private void reset() {
        for (int i = 0; i < touchedCount; i++) {
            dist[touched[i]] = SequentialDijkstra.UNREACHABLE;
        }
        touchedCount = 0;
        heap.clear();
    }

    /**
     * The heuristic, rounded down (truncation of a non-negative double) and capped at 2<sup>61</sup> so that
     * {@code g + h} cannot overflow (distances stay below 2<sup>62</sup>); capping keeps it admissible.
     */
    private long h(int v, int tx, int ty) {
        return Math.min(H_CAP, (long) (scale * euclid(xs[v], ys[v], tx, ty)));
    }

    /** Euclidean distance in double; coordinate differences of up to 2^32 are exact as doubles. */
    static double euclid(int x1, int y1, int x2, int y2) {
        double dx = (double) x1 - x2;
        double dy = (double) y1 - y2;
        return Math.sqrt(dx * dx + dy * dy);
    }
}
