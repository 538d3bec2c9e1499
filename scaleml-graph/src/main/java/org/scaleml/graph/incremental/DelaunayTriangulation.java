package org.scaleml.graph.incremental;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.scaleml.graph.algo.Run;
import org.scaleml.sched.RunStats;
import org.scaleml.sched.Scheduler;

/**
 * Delaunay triangulation of 2-D points by randomized incremental insertion, sequentially or on the relaxed
 * scheduler, with a verifier. Both return the same triangles for the same points.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Input:</b> n finite, pairwise distinct points ({@code x[i], y[i]}), n at most {@link #MAX_POINTS};
 *       {@link #checkInput} says which point is bad. Any configuration is allowed, including collinear and
 *       cocircular points (grids): predicates are exact, and cocircular ties are broken by a symbolic
 *       perturbation that depends on point ids only, so the triangulation is unique for the input and does not
 *       depend on the insertion order or the schedule.</li>
 *   <li><b>Output:</b> a {@link Triangulation} of the convex hull: 2n - 2 - h triangles for h points on the hull
 *       (none if all points are collinear), every circumcircle empty of other points. A bounding super-triangle
 *       is used during the inserts and removed at the end; its vertices lie 2^24 times the input's extent away,
 *       so the hull is exact unless three hull points are so nearly collinear that their circle's radius
 *       exceeds that (then {@link #verify} reports the missing hull triangle).</li>
 *   <li><b>Relaxation cost:</b> one task per point, priority = its position in the random order of
 *       {@code orderSeed}. A pop is wasted when the point is <em>blocked</em> (an earlier point lies in its
 *       cavity: it parks on that point and is pushed again when that point is inserted) or meets a
 *       <em>conflict</em> (another insert holds a triangle it needs: it parks on that insert's point if that
 *       point is earlier, else it is pushed again at once). So tasks =
 *       n + wasted; an exact scheduler on one thread wastes nothing. Counters {@code blocked},
 *       {@code conflicts} and {@code created} (fan triangles built) are in {@link Run#counters()}.</li>
 *   <li><b>Complexity:</b> O(n log n) expected work for a random order (Clarkson-Shor); about 36 bytes per
 *       triangle ever created (about 6n of them), about 40 bytes per point, and per worker 4 bytes per point.</li>
 *   <li><b>Thread safety:</b> stateless; arguments are not modified; results are complete when a method
 *       returns.</li>
 * </ul>
 */
public final class DelaunayTriangulation {
    /*
     * See DelaunayMesh for the insert, its claims and the dependency check. The parallel run follows [1]: the
     * tasks are the points in a random order (priority = position), popped from any relaxed queue; a pop whose
     * dependencies are not done (an earlier point in the cavity) fails and is counted; the result is that of
     * the sequential random-order algorithm. Parking the blocked point on its blocker (instead of pushing it
     * back) bounds a point's failed pops by the number of its blockers, and keeps queues that serve a handle's
     * own recent inserts first (mq-tl) from re-popping the same blocked task in a loop.
     *
     * A conflict (another insert r holds a triangle p needs) parks p on r too when r is earlier than p, and
     * otherwise pushes p again at once. Every wait is thus on a strictly earlier point, so the waits cannot form
     * a cycle, and the earliest uninserted point never waits: it either inserts or retries at once (it can only
     * meet later holders, which release their claims within one insert). So the run always ends with every
     * point inserted.
     *
     * [1] D. Alistarh, G. Nadiradze, N. Koval, "Efficiency Guarantees for Parallel Incremental Algorithms under
     *     Relaxed Schedulers", SPAA 2019.
     */

    /** Most points accepted. */
    public static final int MAX_POINTS = 100_000_000;

    /** Name of the counter of pops blocked by an earlier point. */
    public static final String BLOCKED = "blocked";
    /** Name of the counter of pops that met another insert's claim. */
    public static final String CONFLICTS = "conflicts";
    /** Name of the counter of triangles created. */
    public static final String CREATED = "created";

    private DelaunayTriangulation() {
    }

    /**
     * Checks that the points are finite and distinct.
     *
     * @throws IllegalArgumentException naming the first bad point (0-based index) and, for a duplicate, the
     *                                  point it repeats
     */
    public static void checkInput(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("x and y differ in length: " + x.length + " and " + y.length);
        }
        if (x.length > MAX_POINTS) {
            throw new IllegalArgumentException("too many points: " + x.length + " (at most " + MAX_POINTS + ")");
        }
        for (int i = 0; i < x.length; i++) {
            if (!Double.isFinite(x[i]) || !Double.isFinite(y[i])) {
                throw new IllegalArgumentException("point " + i + " is not finite: (" + x[i] + ", " + y[i] + ")");
            }
        }
        int n = x.length;
        long[] keys = new long[n];
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            keys[i] = Double.doubleToLongBits(x[i] + 0.0) ^ Long.rotateLeft(Double.doubleToLongBits(y[i] + 0.0), 29);
            idx[i] = i;
        }
        Triangulation.Pairs.sort(keys, idx);
        for (int i = 1; i < n; i++) {
            for (int j = i - 1; j >= 0 && keys[j] == keys[i]; j--) {
                int a = idx[j];
                int b = idx[i];
                if (x[a] == x[b] && y[a] == y[b]) {
                    throw new IllegalArgumentException("point " + Math.max(a, b) + " repeats point " + Math.min(a, b)
                            + ": (" + x[a] + ", " + y[a] + ")");
                }
            }
        }
    }

    /**
     * The plain sequential algorithm: inserts the points in the order of {@code orderSeed}, one after another.
     * Its statistics are those of an exact schedule (tasks = n, nothing wasted, one thread).
     *
     * @throws IllegalArgumentException on bad input (see {@link #checkInput})
     */
    public static Run<Triangulation> sequential(double[] x, double[] y, long orderSeed) {
        checkInput(x, y);
        long start = System.nanoTime();
        int n = x.length;
        int[] order = InsertionOrder.permutation(n, orderSeed);
        DelaunayMesh mesh = new DelaunayMesh(x, y, order, false);
        DelaunayMesh.Scratch s = new DelaunayMesh.Scratch(n);
        for (int i = 0; i < n; i++) {
            if (mesh.insert(i, s, false) != DelaunayMesh.INSERTED) {
                throw new IllegalStateException("bug: sequential insert of point " + order[i] + " failed");
            }
        }
        Triangulation t = Triangulation.of(n, mesh.inputTriangles());
        RunStats stats = new RunStats("sequential", "sequential", 1, n, 0, 0, -1, System.nanoTime() - start);
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put(BLOCKED, 0L);
        counters.put(CONFLICTS, 0L);
        counters.put(CREATED, s.created);
        return new Run<>(t, stats, counters);
    }

    /**
     * Inserts the points on {@code scheduler}'s workers, each point a task with its position in the order of
     * {@code orderSeed} as priority. Returns exactly the triangles of {@link #sequential}.
     *
     * @throws IllegalArgumentException on bad input (see {@link #checkInput})
     */
    public static Run<Triangulation> parallel(double[] x, double[] y, long orderSeed, Scheduler scheduler) {
        checkInput(x, y);
        long start = System.nanoTime();
        int n = x.length;
        int[] order = InsertionOrder.permutation(n, orderSeed);
        DelaunayMesh mesh = new DelaunayMesh(x, y, order, true);
        int threads = scheduler.threads();
        DelaunayMesh.Scratch[] scratch = new DelaunayMesh.Scratch[threads];
        long[][] counts = new long[threads][16]; // [0] blocked, [1] conflicts; a row per worker, apart
        WaitLists waits = new WaitLists(n);
        RunStats stats = scheduler.runPartitioned((worker, workers, sink) -> {
            // Strided, so that every worker's part of the queue holds early and late points alike (queues that
            // prefer a worker's own part, e.g. smq, would otherwise hand one worker only the end of the order).
            for (int i = worker; i < n; i += workers) {
                sink.push(i, i); // the mesh stores point order[i] under index i
            }
        }, (priority, payload, ctx) -> {
            int p = (int) payload;
            int w = ctx.worker();
            DelaunayMesh.Scratch s = scratch[w];
            if (s == null) {
                s = scratch[w] = new DelaunayMesh.Scratch(n);
            }
            int r = mesh.insert(p, s, true);
            if (r == DelaunayMesh.INSERTED) {
                waits.close(p, q -> ctx.push(q, q));
                return true;
            }
            if (r == DelaunayMesh.BLOCKED) {
                counts[w][0]++;
                if (!waits.park(s.blocker, p)) {
                    ctx.push(priority, p); // the blocker was inserted meanwhile
                }
                return false;
            }
            counts[w][1]++;
            int holder = s.blocker;
            if (holder >= 0 && holder < p && waits.park(holder, p)) {
                return false; // woken when the earlier holder is inserted
            }
            ctx.push(priority, p); // a later holder (or one inserted meanwhile): retry at once
            return false;
        });
        Triangulation t = Triangulation.of(n, mesh.inputTriangles());
        long blocked = 0;
        long conflicts = 0;
        long created = 0;
        for (int w = 0; w < threads; w++) {
            blocked += counts[w][0];
            conflicts += counts[w][1];
            created += scratch[w] == null ? 0 : scratch[w].created;
        }
        RunStats total = new RunStats(stats.scheduler(), stats.queue(), stats.threads(), stats.tasks(),
                stats.wastedTasks(), stats.emptyPolls(), stats.steals(), System.nanoTime() - start);
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put(BLOCKED, blocked);
        counters.put(CONFLICTS, conflicts);
        counters.put(CREATED, created);
        return new Run<>(t, total, counters);
    }

    /**
     * Checks that {@code t} is the Delaunay triangulation of the points: every triangle counter-clockwise; every
     * directed edge used once, interior edges in both directions; the boundary one convex cycle through h
     * points with 2n - 2 - h triangles (none when all points are collinear); every point used; every interior
     * edge locally Delaunay; and no point strictly inside any triangle's circumcircle (searched through a
     * uniform grid of the points, about one point per cell). Circle tests are exact (with the same tie-breaking
     * as the triangulation). O(n log n) expected for uniform inputs.
     *
     * @return null if all checks pass, else a one-line description of the first failure
     */
    public static String verify(double[] x, double[] y, Triangulation t) {
        int n = x.length;
        if (t.points() != n) {
            return "triangulation of " + t.points() + " points, expected " + n;
        }
        int[] tri = t.toArray();
        int m = tri.length / 3;
        if (m == 0) {
            return n < 3 || allCollinear(x, y) ? null : "no triangles, but the points are not collinear";
        }
        boolean[] used = new boolean[n];
        long[] edge = new long[3 * m];
        int[] opposite = new int[3 * m];
        for (int i = 0; i < m; i++) {
            int a = tri[3 * i];
            int b = tri[3 * i + 1];
            int c = tri[3 * i + 2];
            if (a < 0 || b < 0 || c < 0 || a >= n || b >= n || c >= n) {
                return "triangle " + i + " has a vertex out of range";
            }
            if (Predicates.orient(x[a], y[a], x[b], y[b], x[c], y[c]) <= 0) {
                return "triangle (" + a + ", " + b + ", " + c + ") is not counter-clockwise";
            }
            used[a] = used[b] = used[c] = true;
            edge[3 * i] = (long) a << 32 | b;
            opposite[3 * i] = c;
            edge[3 * i + 1] = (long) b << 32 | c;
            opposite[3 * i + 1] = a;
            edge[3 * i + 2] = (long) c << 32 | a;
            opposite[3 * i + 2] = b;
        }
        for (int v = 0; v < n; v++) {
            if (!used[v]) {
                return "point " + v + " is in no triangle";
            }
        }
        Triangulation.Pairs.sort(edge, opposite);
        for (int i = 1; i < edge.length; i++) {
            if (edge[i] == edge[i - 1]) {
                return "edge (" + (edge[i] >>> 32) + ", " + (int) edge[i] + ") is used twice in one direction";
            }
        }
        int[] boundaryNext = new int[n];
        Arrays.fill(boundaryNext, -1);
        int hull = 0;
        for (int i = 0; i < edge.length; i++) {
            int a = (int) (edge[i] >>> 32);
            int b = (int) edge[i];
            int j = Arrays.binarySearch(edge, (long) b << 32 | a);
            if (j < 0) {
                if (boundaryNext[a] >= 0) {
                    return "point " + a + " starts two boundary edges";
                }
                boundaryNext[a] = b;
                hull++;
            } else if (a < b) {
                int c = opposite[i];
                int d = opposite[j];
                if (Predicates.incircle(x, y, a, b, c, d) > 0) {
                    return "edge (" + a + ", " + b + ") is not locally Delaunay";
                }
            }
        }
        if (m != 2 * n - 2 - hull) {
            return m + " triangles, expected 2n - 2 - h = " + (2L * n - 2 - hull) + " for " + hull + " hull points";
        }
        int start = (int) (edge[0] >>> 32);
        for (int i = 0; i < edge.length && boundaryNext[start] < 0; i++) {
            start = (int) (edge[i] >>> 32);
        }
        int len = 0;
        int v = start;
        do {
            int w = boundaryNext[v];
            int u = boundaryNext[w];
            if (w < 0 || u < 0) {
                return "the boundary is not a closed cycle at point " + v;
            }
            if (Predicates.orient(x[v], y[v], x[w], y[w], x[u], y[u]) < 0) {
                return "the boundary turns inward at point " + w;
            }
            v = w;
            len++;
        } while (v != start && len <= hull);
        if (len != hull) {
            return "the boundary is not one cycle (" + len + " of " + hull + " edges)";
        }
        return emptyCircles(x, y, tri);
    }

    private static boolean allCollinear(double[] x, double[] y) {
        int n = x.length;
        for (int i = 2; i < n; i++) {
            if (Predicates.orient(x[0], y[0], x[1], y[1], x[i], y[i]) != 0) {
                return false;
            }
        }
        return true;
    }

    /** No point strictly inside any circumcircle, through a grid of about one point per cell. */
    private static String emptyCircles(double[] x, double[] y, int[] tri) {
        int n = x.length;
        double[] box = DelaunayMesh.boundingBox(x, y);
        double minX = box[0];
        double minY = box[1];
        double maxX = box[2];
        double maxY = box[3];
        int g = (int) Math.max(1, Math.min(4096, Math.ceil(Math.sqrt(n))));
        double w = (maxX - minX) / g;
        double h = (maxY - minY) / g;
        if (!(w > 0)) {
            w = 1;
        }
        if (!(h > 0)) {
            h = 1;
        }
        int[] cellStart = new int[g * g + 1];
        int[] cellOf = new int[n];
        for (int i = 0; i < n; i++) {
            int cx = Math.min(g - 1, (int) ((x[i] - minX) / w));
            int cy = Math.min(g - 1, (int) ((y[i] - minY) / h));
            cellOf[i] = cy * g + cx;
            cellStart[cellOf[i] + 1]++;
        }
        for (int c = 0; c < g * g; c++) {
            cellStart[c + 1] += cellStart[c];
        }
        int[] fill = Arrays.copyOf(cellStart, g * g);
        int[] cellPoints = new int[n];
        for (int i = 0; i < n; i++) {
            cellPoints[fill[cellOf[i]]++] = i;
        }
        for (int i = 0; i < tri.length; i += 3) {
            int a = tri[i];
            int b = tri[i + 1];
            int c = tri[i + 2];
            // Circumcentre relative to a (double precision; the box below is widened for its error).
            double bx = x[b] - x[a];
            double by = y[b] - y[a];
            double cx = x[c] - x[a];
            double cy = y[c] - y[a];
            double d = 2 * (bx * cy - by * cx);
            double b2 = bx * bx + by * by;
            double c2 = cx * cx + cy * cy;
            double ux = (cy * b2 - by * c2) / d;
            double uy = (bx * c2 - cx * b2) / d;
            double r = Math.sqrt(ux * ux + uy * uy) * (1 + 1e-9) + 1e-12 * (Math.abs(x[a]) + Math.abs(y[a]) + 1);
            double ox = x[a] + ux;
            double oy = y[a] + uy;
            int x0 = clamp((int) Math.floor((ox - r - minX) / w), g);
            int x1 = clamp((int) Math.floor((ox + r - minX) / w), g);
            int y0 = clamp((int) Math.floor((oy - r - minY) / h), g);
            int y1 = clamp((int) Math.floor((oy + r - minY) / h), g);
            if (!Double.isFinite(r)) {
                x0 = y0 = 0;
                x1 = y1 = g - 1;
            }
            for (int gy = y0; gy <= y1; gy++) {
                for (int gx = x0; gx <= x1; gx++) {
                    int cell = gy * g + gx;
                    for (int k = cellStart[cell]; k < cellStart[cell + 1]; k++) {
                        int q = cellPoints[k];
                        if (q == a || q == b || q == c) {
                            continue;
                        }
                        double dx = x[q] - ox;
                        double dy = y[q] - oy;
                        if (dx * dx + dy * dy <= r * r && Predicates.incircle(x, y, a, b, c, q) > 0) {
                            return "point " + q + " lies inside the circumcircle of triangle (" + a + ", " + b + ", "
                                    + c + ")";
                        }
                    }
                }
            }
        }
        return null;
    }

    private static int clamp(int v, int g) {
        return v < 0 ? 0 : Math.min(v, g - 1);
    }
}
