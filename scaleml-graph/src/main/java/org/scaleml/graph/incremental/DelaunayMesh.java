package org.scaleml.graph.incremental;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The shared triangulation state of randomized incremental Delaunay triangulation: triangles with neighbour
 * links, a bounding super-triangle, and the bucket of not-yet-inserted points inside each triangle. One
 * {@link #insert} adds one point by Bowyer-Watson; with {@code concurrent} set, inserts of non-overlapping
 * cavities may run at the same time on different threads.
 *
 * <p>Thread safety: with {@code concurrent = true}, {@link #insert} may be called concurrently for different
 * points, each caller with its own {@link Scratch}; without it, by one thread only. Other methods are for after
 * the inserts (they need a happens-before edge from every insert, e.g. the scheduler's return).
 */
final class DelaunayMesh {
    /*
     * Layout. Triangle t (an int id) has vertices v0, v1, v2 in counter-clockwise order, neighbour k across the
     * edge opposite vertex k (-1 on the super-triangle's outer edges), a state word, and the head of a linked
     * list (through the links[] of the points) of the uninserted points that lie in it (closed triangle; a point on a shared edge is
     * in exactly one of the two lists). Triangles live in chunks of 2^14, allocated on demand, so the mesh grows
     * without copying while other threads read it. Points n, n+1, n+2 are the super-triangle's vertices, far
     * outside the input's bounding box; triangles touching them are dropped from the result.
     *
     * One insert of p (Bowyer-Watson [2] with the point location by buckets of Clarkson and Shor [3]):
     *   1. p's triangle t (kept in links[]); the cavity is the connected set of triangles whose circumcircle contains p
     *      (perturbed incircle, see Predicates), found by a search from t across edges; the triangles just
     *      outside it are its boundary.
     *   2. Dependency check (parallel only): if a cavity triangle's bucket holds a point q inserted earlier than
     *      p in the random order, q's cavity overlaps p's and sequential order would insert q first: p is blocked
     *      by q, nothing changes, and the caller parks p on q (see DelaunayTriangulation). Points are stored
     *      under their position in the order (input ids kept aside for the output and the perturbation), so
     *      "earlier" is "smaller index", and each triangle keeps the smallest index in its bucket: the check
     *      reads one int per cavity triangle. The same test on p's own triangle is done before any claim.
     *   3. The cavity is replaced by the fan of triangles (a, b, p) over its boundary edges (a, b); the
     *      boundary triangles' links are redirected to them; the points of the cavity's buckets move to the
     *      fan triangle containing them (exact orientation tests).
     *
     * Concurrency: claims. Every triangle an insert reads or writes (the cavity and its boundary) is claimed
     * first with one CAS on its state, FREE -> CAVITY(p) or BOUNDARY(p); a claim that fails (someone else's
     * insert holds it) aborts the insert: all claims are released and the caller retries later (a failed claim
     * is counted as a conflict). Holding a triangle makes its links stable: a triangle's links change only when
     * a neighbour is replaced, and the insert replacing that neighbour must hold the triangle as boundary. So a
     * claimed triangle's neighbours are alive, and the search never reads a triangle being rebuilt. New
     * triangles are born claimed by their creator and released (FREE, release store) after all their fields and
     * their buckets' points' triangle entries are written; replaced triangles become DEAD for good. A point
     * reading a stale triangle (DEAD) reads its entry again: the relocation's writes precede the DEAD store. Claims
     * never wait, so there is no deadlock; a released cavity is re-claimed on the retry.
     *
     * Why the result equals the sequential one: with the perturbation, the Delaunay triangulation of the points
     * inserted so far is unique whatever their order, and each insert is an exact Bowyer-Watson step on the
     * current triangulation (claims make it atomic), so the final mesh is the unique triangulation of all
     * points, as in the sequential run. The dependency check makes the parallel run respect the sequential
     * order's dependencies, which is what bounds its work ([1]): without it the run stays correct but an
     * out-of-order insert may do work that the random order's analysis does not pay for.
     *
     * [1] D. Alistarh, G. Nadiradze, N. Koval, "Efficiency Guarantees for Parallel Incremental Algorithms under
     *     Relaxed Schedulers", SPAA 2019. [2] A. Bowyer, "Computing Dirichlet tessellations"; D. F. Watson,
     *     "Computing the n-dimensional Delaunay tessellation", Computer Journal 1981. [3] K. L. Clarkson, P. W.
     *     Shor, "Applications of random sampling in computational geometry, II", DCG 1989. [4] G. E. Blelloch,
     *     Y. Gu, J. Shun, Y. Sun, "Parallelism in Randomized Incremental Algorithms", SPAA 2016.
     */
    static final int UNUSED = 0;
    static final int FREE = 1;
    static final int DEAD = 2;
    private static final int OWNED = 3; // CAVITY(p) = OWNED + 2p, BOUNDARY(p) = OWNED + 2p + 1

    /** Largest point count: the claim words must not overflow. */
    static final int MAX_POINTS = (Integer.MAX_VALUE - 16) / 2;

    static final int INSERTED = 0;
    static final int BLOCKED = 1;
    static final int CONFLICT = 2;

    private static final int SHIFT = 14;
    private static final int CHUNK = 1 << SHIFT;
    private static final int MASK = CHUNK - 1;
    private static final int MAX_CHUNKS = (Integer.MAX_VALUE >> SHIFT) + 1;
    private static final int ALLOC_BLOCK = 64;

    private static final VarHandle INTS = MethodHandles.arrayElementVarHandle(int[].class);
    private static final VarHandle CHUNKS = MethodHandles.arrayElementVarHandle(Chunk[].class);

    /** One chunk of triangles: 3 vertices, 3 neighbours, a state and a bucket head each. */
    private static final class Chunk {
        final int[] vert = new int[3 * CHUNK];
        final int[] nbr = new int[3 * CHUNK];
        final int[] state = new int[CHUNK];
        final int[] head = new int[CHUNK];
        final int[] min = new int[CHUNK]; // the smallest point in the bucket (MAX_VALUE if empty)
    }

    final int n;
    /** Coordinates, interleaved: point i at xy[2i], xy[2i + 1] (one cache line fetch per point). */
    final double[] xy;
    private final boolean concurrent;
    private final int[] ids;
    /** Per point, interleaved: links[2q] = next point in its bucket (-1 last), links[2q + 1] = its triangle. */
    private final int[] links;
    private final Chunk[] chunks = new Chunk[MAX_CHUNKS];
    private final AtomicInteger nextId = new AtomicInteger();
    private int sequentialId; // the allocator without atomics

    /**
     * A mesh holding only the super-triangle, with every point in its bucket.
     *
     * @param x, y       coordinates of the n input points (finite, distinct; not checked here)
     * @param order      the insertion order: point i of the mesh is input point order[i], so a point's index is
     *                   its position in the order (the dependency check compares indices)
     * @param concurrent whether inserts may run concurrently (claims by CAS) or not (plain writes)
     */
    DelaunayMesh(double[] x, double[] y, int[] order, boolean concurrent) {
        this.n = x.length;
        this.concurrent = concurrent;
        this.xy = new double[2 * (n + 3)];
        this.ids = new int[n + 3];
        for (int i = 0; i < n; i++) {
            xy[2 * i] = x[order[i]];
            xy[2 * i + 1] = y[order[i]];
            ids[i] = order[i];
        }
        ids[n] = n;
        ids[n + 1] = n + 1;
        ids[n + 2] = n + 2;
        double[] box = n == 0 ? new double[] {0, 0, 1, 1} : boundingBox(x, y);
        double minX = box[0];
        double minY = box[1];
        double maxX = box[2];
        double maxY = box[3];
        double cx = minX / 2 + maxX / 2;
        double cy = minY / 2 + maxY / 2;
        double size = Math.max(Math.max(maxX - minX, maxY - minY), Math.max(Math.abs(cx), Math.abs(cy)) * 1e-9);
        if (!(size > 0)) {
            size = Math.max(1.0, Math.max(Math.abs(cx), Math.abs(cy)));
        }
        // Far enough that no triangle of the input with a sane circumradius sees them (see DelaunayTriangulation).
        double far = size * 0x1p24;
        xy[2 * n] = cx - 2 * far;
        xy[2 * n + 1] = cy - far;
        xy[2 * (n + 1)] = cx + 2 * far;
        xy[2 * (n + 1) + 1] = cy - far;
        xy[2 * (n + 2)] = cx;
        xy[2 * (n + 2) + 1] = cy + 2 * far;
        this.links = new int[2 * n];
        int t = concurrent ? nextId.getAndIncrement() : sequentialId++;
        ensureChunk(t);
        Chunk c = chunks[0];
        c.vert[0] = n;
        c.vert[1] = n + 1;
        c.vert[2] = n + 2;
        c.nbr[0] = c.nbr[1] = c.nbr[2] = -1;
        c.state[0] = FREE;
        c.head[0] = n > 0 ? 0 : -1;
        c.min[0] = n > 0 ? 0 : Integer.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            links[2 * i] = i + 1 < n ? i + 1 : -1;
        }
        if (concurrent) {
            nextId.set(Math.max(nextId.get(), ALLOC_BLOCK)); // worker blocks start after the first block
        }
    }

    /** Per-thread scratch space of the inserts; not thread-safe, one per worker. */
    static final class Scratch {
        final IntList cavity = new IntList();
        final IntList claimed = new IntList();
        final IntList bTri = new IntList();   // boundary edges: the cavity triangle,
        final IntList bEdge = new IntList();  // the edge index in it,
        final IntList bOut = new IntList();   // the triangle across (-1: none)
        final IntList fan = new IntList();
        final IntList ringV = new IntList();
        final IntList ringT = new IntList();
        final int[] fanAt;                    // fanAt[v] = index in fan of the new triangle starting at v (validated)
        int allocNext;
        int allocEnd;
        /**
         * After BLOCKED: the earlier point found in the cavity. After CONFLICT: the point whose insert held a
         * triangle (or -1 if unknown).
         */
        int blocker;
        long created;

        Scratch(int points) {
            fanAt = new int[points + 3];
        }
    }

    /**
     * Inserts point p (once; not already inserted).
     *
     * @param check whether to run the dependency check (step 2); the sequential run does not need it
     * @return {@link #INSERTED}, {@link #BLOCKED} (nothing changed; {@code s.blocker} is an earlier point in p's
     *     cavity) or {@link #CONFLICT} (nothing changed; another insert held a triangle p needed)
     */
    int insert(int p, Scratch s, boolean check) {
        s.cavity.clear();
        s.claimed.clear();
        s.bTri.clear();
        s.bEdge.clear();
        s.bOut.clear();
        final int cavityMark = OWNED + 2 * p;
        final int boundaryMark = cavityMark + 1;
        int t;
        if (check) {
            // Cheap early exit, before any claim: an earlier point in p's triangle blocks p. (A racy read: the
            // triangle may be being replaced, but any earlier point is a safe thing to wait for.)
            t = (int) INTS.getAcquire(links, 2 * p + 1);
            int q = (int) INTS.getOpaque(chunk(t).min, t & MASK);
            if (q < p) {
                s.blocker = q;
                return BLOCKED;
            }
        }
        for (;;) {
            t = concurrent ? (int) INTS.getAcquire(links, 2 * p + 1) : links[2 * p + 1];
            int w = claim(t, cavityMark);
            if (w == FREE) {
                break;
            }
            if (w != DEAD) {
                s.blocker = owner(w);
                return CONFLICT;
            }
        }
        s.claimed.add(t);
        s.cavity.add(t);
        double px = xy[2 * p];
        double py = xy[2 * p + 1];
        for (int i = 0; i < s.cavity.size(); i++) {
            int c = s.cavity.get(i);
            Chunk cc = chunk(c);
            int ci = c & MASK;
            for (int k = 0; k < 3; k++) {
                int o = cc.nbr[3 * ci + k];
                if (o < 0) {
                    s.bTri.add(c);
                    s.bEdge.add(k);
                    s.bOut.add(-1);
                    continue;
                }
                Chunk oc = chunk(o);
                int oi = o & MASK;
                int st = concurrent ? (int) INTS.getAcquire(oc.state, oi) : oc.state[oi];
                if (st == cavityMark) {
                    continue; // an inner edge of the cavity
                }
                if (st != boundaryMark) {
                    int w = claim(o, boundaryMark);
                    if (w != FREE) {
                        release(s);
                        s.blocker = owner(w);
                        return CONFLICT;
                    }
                    s.claimed.add(o);
                    int a = oc.vert[3 * oi];
                    int b = oc.vert[3 * oi + 1];
                    int d = oc.vert[3 * oi + 2];
                    if (Predicates.incircle(xy, ids, a, b, d, p) > 0) {
                        if (concurrent) {
                            INTS.setOpaque(oc.state, oi, cavityMark); // ours: others only fail their CAS on it
                        } else {
                            oc.state[oi] = cavityMark;
                        }
                        s.cavity.add(o);
                        continue;
                    }
                }
                s.bTri.add(c);
                s.bEdge.add(k);
                s.bOut.add(o);
            }
        }
        if (check) {
            for (int i = 0; i < s.cavity.size(); i++) {
                int c = s.cavity.get(i);
                int q = chunk(c).min[c & MASK];
                if (q < p) {
                    release(s);
                    s.blocker = q;
                    return BLOCKED;
                }
            }
        }
        commit(p, px, py, s);
        return INSERTED;
    }

    private void commit(int p, double px, double py, Scratch s) {
        final int mine = OWNED + 2 * p + 1;
        IntList fan = s.fan;
        fan.clear();
        int m = s.bTri.size();
        for (int i = 0; i < m; i++) {
            int c = s.bTri.get(i);
            int k = s.bEdge.get(i);
            int o = s.bOut.get(i);
            Chunk cc = chunk(c);
            int ci = c & MASK;
            int a = cc.vert[3 * ci + (k + 1) % 3];
            int b = cc.vert[3 * ci + (k + 2) % 3];
            if (Predicates.orient(xy[2 * a], xy[2 * a + 1], xy[2 * b], xy[2 * b + 1], px, py) <= 0) {
                throw new IllegalStateException("bug: point " + p + " does not see cavity edge (" + a + ", " + b + ")");
            }
            int nt = allocate(s);
            Chunk nc = chunk(nt);
            int ni = nt & MASK;
            nc.vert[3 * ni] = a;
            nc.vert[3 * ni + 1] = b;
            nc.vert[3 * ni + 2] = p;
            nc.nbr[3 * ni + 2] = o;
            nc.head[ni] = -1;
            nc.min[ni] = Integer.MAX_VALUE;
            nc.state[ni] = mine; // published by the release store at the end
            if (o >= 0) {
                Chunk oc = chunk(o);
                int oi = o & MASK;
                int j = oc.nbr[3 * oi] == c ? 0 : oc.nbr[3 * oi + 1] == c ? 1 : 2;
                oc.nbr[3 * oi + j] = nt;
            }
            s.fanAt[a] = fan.size();
            fan.add(nt);
        }
        for (int i = 0; i < m; i++) {
            int nt = fan.get(i);
            Chunk nc = chunk(nt);
            int ni = nt & MASK;
            int b = nc.vert[3 * ni + 1];
            int j = s.fanAt[b];
            int other = j >= 0 && j < m ? fan.get(j) : -1;
            if (other < 0 || chunk(other).vert[3 * (other & MASK)] != b) {
                throw new IllegalStateException("bug: the cavity of point " + p + " is not a closed polygon");
            }
            nc.nbr[3 * ni] = other;                       // across (b, p)
            chunk(other).nbr[3 * (other & MASK) + 1] = nt; // across (p, b) seen from the other side
        }
        // The fan in counter-clockwise order around p: ring vertex i and triangle i = (ring[i], ring[i + 1], p).
        IntList ringV = s.ringV;
        IntList ringT = s.ringT;
        ringV.clear();
        ringT.clear();
        int r = fan.get(0);
        for (int i = 0; i < m; i++) {
            Chunk rc = chunk(r);
            int ri = 3 * (r & MASK);
            ringV.add(rc.vert[ri]);
            ringT.add(r);
            r = rc.nbr[ri];
        }
        // Move the uninserted points of the cavity to the fan triangles containing them.
        for (int i = 0; i < s.cavity.size(); i++) {
            int c = s.cavity.get(i);
            for (int q = chunk(c).head[c & MASK]; q >= 0; ) {
                int nq = links[2 * q];
                if (q != p) {
                    int nt = locate(q, px, py, ringV, ringT, m, p);
                    Chunk nc = chunk(nt);
                    int ni = nt & MASK;
                    links[2 * q] = nc.head[ni];
                    nc.head[ni] = q;
                    if (q < nc.min[ni]) {
                        nc.min[ni] = q;
                    }
                    if (concurrent) {
                        INTS.setRelease(links, 2 * q + 1, nt);
                    } else {
                        links[2 * q + 1] = nt;
                    }
                }
                q = nq;
            }
        }
        s.created += m;
        if (concurrent) {
            for (int i = 0; i < s.claimed.size(); i++) {
                int t = s.claimed.get(i);
                Chunk tc = chunk(t);
                int ti = t & MASK;
                INTS.setRelease(tc.state, ti, tc.state[ti] == mine - 1 ? DEAD : FREE);
            }
            for (int i = 0; i < m; i++) {
                int t = fan.get(i);
                INTS.setRelease(chunk(t).state, t & MASK, FREE);
            }
        } else {
            for (int i = 0; i < s.claimed.size(); i++) {
                int t = s.claimed.get(i);
                Chunk tc = chunk(t);
                int ti = t & MASK;
                tc.state[ti] = tc.state[ti] == mine - 1 ? DEAD : FREE;
            }
            for (int i = 0; i < m; i++) {
                int t = fan.get(i);
                chunk(t).state[t & MASK] = FREE;
            }
        }
    }

    /**
     * The fan triangle containing q (closed). Every wedge (ring[i], ring[i + 1]) around p spans less than pi, so
     * q is left of (or on) the rays p -> ring[j] for a contiguous arc of j, and lies in the wedge where that arc
     * ends: one orientation test per ring vertex until then.
     */
    private int locate(int q, double px, double py, IntList ringV, IntList ringT, int m, int p) {
        double qx = xy[2 * q];
        double qy = xy[2 * q + 1];
        int r0 = ringV.get(0);
        boolean first = Predicates.orient(px, py, xy[2 * r0], xy[2 * r0 + 1], qx, qy) >= 0;
        boolean left = first;
        for (int i = 0; i < m; i++) {
            boolean nextLeft;
            if (i + 1 < m) {
                int r = ringV.get(i + 1);
                nextLeft = Predicates.orient(px, py, xy[2 * r], xy[2 * r + 1], qx, qy) >= 0;
            } else {
                nextLeft = first;
            }
            if (left && !nextLeft) {
                return ringT.get(i);
            }
            left = nextLeft;
        }
        throw new IllegalStateException("bug: point " + q + " lies in no triangle of point " + p + "'s fan");
    }

    /** The point whose insert holds a triangle in state {@code w}, or -1 if none does. */
    private static int owner(int w) {
        return w >= OWNED ? (w - OWNED) >>> 1 : -1;
    }

    /** Claims t: returns FREE on success, else the state found (DEAD, or another insert's mark). */
    private int claim(int t, int mark) {
        Chunk c = chunk(t);
        int i = t & MASK;
        if (concurrent) {
            return (int) INTS.compareAndExchange(c.state, i, FREE, mark);
        }
        int st = c.state[i];
        if (st == FREE) {
            c.state[i] = mark;
        }
        return st;
    }

    private void release(Scratch s) {
        for (int i = 0; i < s.claimed.size(); i++) {
            int t = s.claimed.get(i);
            if (concurrent) {
                INTS.setRelease(chunk(t).state, t & MASK, FREE);
            } else {
                chunk(t).state[t & MASK] = FREE;
            }
        }
        s.claimed.clear();
    }

    private int allocate(Scratch s) {
        if (!concurrent) {
            int t = sequentialId++;
            ensureChunk(t);
            return t;
        }
        if (s.allocNext == s.allocEnd) {
            int from = nextId.getAndAdd(ALLOC_BLOCK);
            if (from < 0 || from > Integer.MAX_VALUE - 2 * ALLOC_BLOCK) {
                throw new IllegalStateException("more than 2^31 triangles");
            }
            ensureChunk(from);
            ensureChunk(from + ALLOC_BLOCK - 1);
            s.allocNext = from;
            s.allocEnd = from + ALLOC_BLOCK;
        }
        return s.allocNext++;
    }

    private void ensureChunk(int t) {
        int k = t >>> SHIFT;
        if ((Chunk) CHUNKS.getAcquire(chunks, k) == null) {
            CHUNKS.compareAndSet(chunks, k, null, new Chunk());
        }
    }

    private Chunk chunk(int t) {
        return chunks[t >>> SHIFT];
    }

    /** Upper bound of the triangle ids ever handed out (some below it may be unused). */
    private int idLimit() {
        return concurrent ? nextId.get() : sequentialId;
    }

    /** The live triangles with no super-triangle vertex, as (a, b, c) counter-clockwise triples. */
    int[] inputTriangles() {
        IntList out = new IntList();
        int limit = idLimit();
        for (int t = 0; t < limit; t++) {
            Chunk c = chunks[t >>> SHIFT];
            if (c == null) {
                t |= MASK;
                continue;
            }
            int i = t & MASK;
            if (c.state[i] != FREE) {
                continue;
            }
            int a = c.vert[3 * i];
            int b = c.vert[3 * i + 1];
            int d = c.vert[3 * i + 2];
            if (a < n && b < n && d < n) {
                out.add(ids[a]);
                out.add(ids[b]);
                out.add(ids[d]);
            }
        }
        return out.toArray();
    }

    /** A growable list of ints (scratch space). */
    static final class IntList {
        private int[] a = new int[16];
        private int size;

        void clear() {
            size = 0;
        }

        void add(int v) {
            if (size == a.length) {
                a = Arrays.copyOf(a, a.length * 2);
            }
            a[size++] = v;
        }

        int get(int i) {
            return a[i];
        }

        int size() {
            return size;
        }

        int[] toArray() {
            return Arrays.copyOf(a, size);
        }
    }

    /** {minX, minY, maxX, maxY} of the points (x[i], y[i]); infinities for no points. */
    static double[] boundingBox(double[] x, double[] y) {
        double minX = Double.POSITIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < x.length; i++) {
            minX = Math.min(minX, x[i]);
            maxX = Math.max(maxX, x[i]);
            minY = Math.min(minY, y[i]);
            maxY = Math.max(maxY, y[i]);
        }
        return new double[] {minX, minY, maxX, maxY};
    }
}
