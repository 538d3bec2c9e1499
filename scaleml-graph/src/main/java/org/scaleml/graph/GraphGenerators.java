package org.scaleml.graph;

import java.util.SplittableRandom;
import org.scaleml.common.SplitMix64;

/**
 * Seeded, deterministic graph generators: the same arguments always give the same graph (same ids, arc
 * order and weights), on any machine and JVM.
 *
 * <ul>
 *   <li>{@link #grid}: 2D grid, 4-neighbour, undirected, uniform random weights, coordinates.</li>
 *   <li>{@link #rmat}: R-MAT / Kronecker graphs (Chakrabarti, Zhan and Faloutsos, SDM 2004), the Graph500
 *       generator without its noise and vertex permutation.</li>
 *   <li>{@link #randomGeometric}: random geometric graphs in the unit square, weights proportional to
 *       distance, generated in O(n + m) with a grid of cells.</li>
 * </ul>
 *
 * All run in O(n + m) time (R-MAT: O(m log n)) and build the CSR directly or through one edge list, so
 * graphs of 50M+ edges fit comfortably in a few GiB (a weighted undirected graph of 50M edges takes about
 * 0.8 GB as CSR, plus 0.6 GB for the transient edge list where one is used). Not thread-safe (no shared
 * state; concurrent calls are independent).
 */
public final class GraphGenerators {
    /** Coordinates of {@link #randomGeometric} points are integers in {@code [0, GEOMETRIC_SCALE)}. */
    public static final int GEOMETRIC_SCALE = 1_000_000;

    private GraphGenerators() {
    }

    // ---------------------------------------------------------------------------------------------- grid

    /**
     * A {@code rows x cols} grid: node {@code r * cols + c} is joined to its up, left, right and down
     * neighbours (in that arc order) by undirected edges with weights uniform in {@code [1, maxWeight]}.
     * Coordinates are {@code x = c, y = r}; since every weight is at least 1, the Euclidean distance between
     * coordinates is an admissible A* heuristic. Weights come from a hash of (seed, edge index), so the
     * generator needs no storage beyond the CSR arrays. File ids are the internal ids (offset 0).
     *
     * <p>Size: {@code n = rows * cols} nodes and {@code rows(cols-1) + cols(rows-1)} edges (about 2n), each
     * stored as two arcs: 16 bytes per edge plus 16 bytes per node.
     *
     * @throws IllegalArgumentException if a size is not positive, maxWeight is below 1, or the graph would
     *     exceed {@link CsrGraph#MAX_ARCS} arcs
     */
    public static CsrGraph grid(int rows, int cols, int maxWeight, long seed) {
        if (rows < 1 || cols < 1 || maxWeight < 1) {
            throw new IllegalArgumentException("need rows >= 1, cols >= 1, maxWeight >= 1");
        }
        long nl = (long) rows * cols;
        long edges = (long) rows * (cols - 1) + (long) cols * (rows - 1);
        if (nl > Integer.MAX_VALUE - 1 || 2 * edges > CsrGraph.MAX_ARCS) {
            throw new IllegalArgumentException("grid " + rows + " x " + cols + " is too large");
        }
        int n = (int) nl;
        long horizontal = (long) rows * (cols - 1);
        long[] off = new long[n + 1];
        int[] tgt = new int[(int) (2 * edges)];
        int[] w = new int[tgt.length];
        int[] x = new int[n];
        int[] y = new int[n];
        int p = 0;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int u = r * cols + c;
                off[u] = p;
                x[u] = c;
                y[u] = r;
                if (r > 0) {
                    tgt[p] = u - cols;
                    w[p++] = 1 + bounded(seed, horizontal + (long) (r - 1) * cols + c, maxWeight);
                }
                if (c > 0) {
                    tgt[p] = u - 1;
                    w[p++] = 1 + bounded(seed, (long) r * (cols - 1) + c - 1, maxWeight);
                }
                if (c < cols - 1) {
                    tgt[p] = u + 1;
                    w[p++] = 1 + bounded(seed, (long) r * (cols - 1) + c, maxWeight);
                }
                if (r < rows - 1) {
                    tgt[p] = u + cols;
                    w[p++] = 1 + bounded(seed, horizontal + (long) r * cols + c, maxWeight);
                }
            }
        }
        off[n] = p;
        return new CsrGraph(n, false, edges, off, tgt, w, x, y, 0, null);
    }

    /**
     * A hash of (seed, index) mapped to {@code [0, bound)}: SplitMix64 output number {@code index}, multiply-shift
     * range.
     */
    private static int bounded(long seed, long index, int bound) {
        long z = SplitMix64.valueAt(seed, index);
        return (int) (((z >>> 32) * bound) >>> 32);
    }

    // ---------------------------------------------------------------------------------------------- R-MAT

    /**
     * An R-MAT graph with the Graph500 probabilities {@code a = 0.57, b = 0.19, c = 0.19, d = 0.05}:
     * directed, unweighted, self loops and parallel arcs kept as generated. Same as {@code rmat(scale,
     * edgeFactor, 0.57, 0.19, 0.19, true, 0, false, seed)}.
     */
    public static CsrGraph rmat(int scale, int edgeFactor, long seed) {
        return rmat(scale, edgeFactor, 0.57, 0.19, 0.19, true, 0, false, seed);
    }

    /**
     * An R-MAT graph on {@code 2^scale} nodes with {@code edgeFactor * 2^scale} generated edges. Each edge
     * picks one quadrant of the adjacency matrix per level, top-left with probability {@code a}, top-right
     * {@code b}, bottom-left {@code c}, bottom-right {@code d = 1 - a - b - c}. Node 0 gets the highest degree
     * (no vertex permutation is applied). Probabilities are applied with 21-bit precision (about 5e-7).
     *
     * @param scale log2 of the node count, 1..30
     * @param edgeFactor edges per node, at least 1
     * @param directed if false each edge is stored as two arcs
     * @param maxWeight if positive, weights uniform in {@code [1, maxWeight]}; if 0, unweighted
     * @param simple if true, drop self loops and merge parallel arcs (minimum weight); the arc count is then
     *     below the generated count
     * @param seed random seed
     * @throws IllegalArgumentException on invalid probabilities or sizes
     */
    public static CsrGraph rmat(int scale, int edgeFactor, double a, double b, double c, boolean directed,
            int maxWeight, boolean simple, long seed) {
        if (scale < 1 || scale > 30 || edgeFactor < 1 || maxWeight < 0) {
            throw new IllegalArgumentException("need 1 <= scale <= 30, edgeFactor >= 1, maxWeight >= 0");
        }
        double d = 1 - a - b - c;
        if (a < 0 || b < 0 || c < 0 || d < -1e-9) {
            throw new IllegalArgumentException("probabilities a, b, c must be non-negative with a + b + c <= 1");
        }
        int n = 1 << scale;
        long m = (long) edgeFactor << scale;
        if ((directed ? m : 2 * m) > CsrGraph.MAX_ARCS) {
            throw new IllegalArgumentException("R-MAT with " + m + " edges exceeds " + CsrGraph.MAX_ARCS + " arcs");
        }
        // Quadrant choice per level from 21 random bits (3 levels per nextLong), branch-free:
        // q = [r >= a] + [r >= a+b] + [r >= a+b+c] is 0 (a), 1 (b: column bit), 2 (c: row bit), 3 (d: both).
        final long one = 1L << 21;
        long tA = Math.round(a * one);
        long tAB = Math.round((a + b) * one);
        long tABC = Math.round((a + b + c) * one);
        SplittableRandom rnd = new SplittableRandom(seed);
        int count = (int) m;
        int[] src = new int[count];
        int[] dst = new int[count];
        int[] w = maxWeight > 0 ? new int[count] : null;
        for (int i = 0; i < count; i++) {
            int u = 0;
            int v = 0;
            long bits = 0;
            int avail = 0;
            for (int level = scale - 1; level >= 0; level--) {
                if (avail == 0) {
                    bits = rnd.nextLong();
                    avail = 3;
                }
                long r = bits & (one - 1);
                bits >>>= 21;
                avail--;
                int q = (r >= tA ? 1 : 0) + (r >= tAB ? 1 : 0) + (r >= tABC ? 1 : 0);
                u |= (q >> 1) << level;
                v |= (q & 1) << level;
            }
            src[i] = u;
            dst[i] = v;
            if (w != null) {
                w[i] = 1 + rnd.nextInt(maxWeight);
            }
        }
        return GraphBuilder.assemble(n, directed, src, dst, w, count, simple, simple, 0, null, null, null);
    }

    // ---------------------------------------------------------------------------------- random geometric

    /**
     * The radius at which a random geometric graph on {@code n} points has expected average degree about
     * {@code degree} (ignoring boundary effects): {@code sqrt(degree / (pi (n - 1)))}.
     */
    public static double radiusForAverageDegree(int n, double degree) {
        return Math.sqrt(degree / (Math.PI * Math.max(1, n - 1)));
    }

    /**
     * A random geometric graph: {@code n} points uniform in the unit square, an undirected edge between every
     * pair at distance at most {@code radius}. Points are integer coordinates in {@code [0, }{@link
     * #GEOMETRIC_SCALE}{@code )} (so the unit square is scaled by 10<sup>6</sup>), and an edge's weight is
     * its length in those units rounded up, at least 1; the coordinates are attached, so the Euclidean
     * distance between them is an admissible and consistent A* heuristic. Node ids follow a grid of cells
     * (row-major), which gives the graph the memory locality of a road network. Expected edges: about
     * {@code pi r^2 n^2 / 2}.
     *
     * <p>Method: bucket the points into square cells of side at least {@code radius} by a counting sort, then
     * compare each point only with the points of its own cell and four neighbouring cells (each pair once):
     * O(n + m) expected time for a fixed expected degree, O(n) extra memory.
     *
     * @throws IllegalArgumentException if {@code n < 1} or {@code radius} is not in (0, 1.5]
     * @throws IllegalStateException if the graph would exceed {@link CsrGraph#MAX_ARCS} arcs
     */
    public static CsrGraph randomGeometric(int n, double radius, long seed) {
        if (n < 1 || n > Integer.MAX_VALUE - 1 || !(radius > 0) || radius > 1.5) {
            throw new IllegalArgumentException("need n >= 1 and 0 < radius <= 1.5");
        }
        final int scaleInt = GEOMETRIC_SCALE;
        long rad = Math.max(1, (long) Math.floor(radius * scaleInt));
        long rad2 = rad * rad;
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] px = new int[n];
        int[] py = new int[n];
        for (int i = 0; i < n; i++) {
            px[i] = rnd.nextInt(scaleInt);
            py[i] = rnd.nextInt(scaleInt);
        }
        // Cells of side scale/k >= rad; at most about n cells.
        long kl = Math.min(scaleInt / rad, (long) Math.ceil(Math.sqrt(n)));
        int k = (int) Math.max(1, kl);
        int cells = k * k;
        int[] cellStart = new int[cells + 1];
        int[] cellOf = new int[n];
        for (int i = 0; i < n; i++) {
            int cx = (int) ((long) px[i] * k / scaleInt);
            int cy = (int) ((long) py[i] * k / scaleInt);
            int cell = cy * k + cx;
            cellOf[i] = cell;
            cellStart[cell + 1]++;
        }
        for (int i = 0; i < cells; i++) {
            cellStart[i + 1] += cellStart[i];
        }
        // New id = position in cell order (stable within a cell).
        int[] x = new int[n];
        int[] y = new int[n];
        int[] cursor = java.util.Arrays.copyOf(cellStart, cells);
        for (int i = 0; i < n; i++) {
            int id = cursor[cellOf[i]]++;
            x[id] = px[i];
            y[id] = py[i];
        }
        px = null;
        py = null;
        cellOf = null;
        cursor = null;
        long expected = (long) Math.min(CsrGraph.MAX_ARCS / 2, Math.PI * rad2 / ((double) scaleInt * scaleInt) * n * (n - 1.0) / 2);
        IntArray src = new IntArray(Math.min(expected, GraphBuilder.MAX_PREALLOCATION));
        IntArray dst = new IntArray(src.a.length);
        IntArray wts = new IntArray(src.a.length);
        int[][] forward = {{1, -1}, {1, 0}, {1, 1}, {0, 1}};
        for (int cy = 0; cy < k; cy++) {
            for (int cx = 0; cx < k; cx++) {
                int cell = cy * k + cx;
                int lo = cellStart[cell];
                int hi = cellStart[cell + 1];
                for (int p = lo; p < hi; p++) {
                    for (int q = p + 1; q < hi; q++) {
                        addIfClose(p, q, x, y, rad2, src, dst, wts);
                    }
                    for (int[] f : forward) {
                        int nx = cx + f[0];
                        int ny = cy + f[1];
                        if (nx < 0 || nx >= k || ny < 0 || ny >= k) {
                            continue;
                        }
                        int other = ny * k + nx;
                        for (int q = cellStart[other], end = cellStart[other + 1]; q < end; q++) {
                            addIfClose(p, q, x, y, rad2, src, dst, wts);
                        }
                    }
                }
            }
        }
        if (2L * src.size > CsrGraph.MAX_ARCS) {
            throw new IllegalStateException("random geometric graph with " + src.size + " edges exceeds "
                    + CsrGraph.MAX_ARCS + " arcs");
        }
        return GraphBuilder.assemble(n, false, src.a, dst.a, wts.a, src.size, false, false, 0, null, x, y);
    }

    private static void addIfClose(int p, int q, int[] x, int[] y, long rad2, IntArray src, IntArray dst,
            IntArray wts) {
        long dx = x[p] - x[q];
        long dy = y[p] - y[q];
        long d2 = dx * dx + dy * dy;
        if (d2 <= rad2) {
            long w = (long) Math.ceil(Math.sqrt((double) d2));
            // Guard against floating-point rounding below the true length.
            while (w * w < d2) {
                w++;
            }
            src.add(p);
            dst.add(q);
            wts.add((int) Math.max(1, w));
        }
    }
}
