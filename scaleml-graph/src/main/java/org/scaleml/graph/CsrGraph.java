package org.scaleml.graph;

import java.util.Arrays;

/**
 * An immutable graph in compressed sparse row (CSR) form: nodes are {@code int} ids {@code 0..n-1}; the
 * out-arcs of node {@code u} are the arc indices {@code offsets[u] .. offsets[u+1]-1}, arc {@code e} leads to
 * {@code targets[e]} and, if the graph is weighted, has weight {@code weights[e]}.
 *
 * <p>Typical hot loop:
 *
 * <pre>{@code
 * long[] off = g.offsets();
 * int[] tgt = g.targets();
 * int[] w = g.weights();          // only if g.hasWeights()
 * for (long e = off[u], end = off[u + 1]; e < end; e++) {
 *     int v = tgt[(int) e];
 *     long nd = du + w[(int) e];
 * }
 * }</pre>
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Thread safety:</b> immutable and safely published (all fields final); share freely between
 *       threads. The arrays returned by {@link #offsets()}, {@link #targets()}, {@link #weights()}, {@link
 *       #xs()}, {@link #ys()} and {@link #fileIds()} are the graph's own storage, returned without copying
 *       for speed: callers must never modify them.</li>
 *   <li><b>Directed or undirected:</b> an undirected graph stores every edge {u, v} as the two arcs
 *       {@code u->v} and {@code v->u} (a self loop as one arc), so {@link #arcs()} is about twice {@link
 *       #edges()}. A directed graph stores each arc once; its arcs may or may not come in pairs (the DIMACS
 *       road graphs do, but stay directed as the file says).</li>
 *   <li><b>Arc order:</b> the out-arcs of a node keep the order in which they were added (builders and
 *       readers are stable), so results are deterministic; they are not sorted by target.</li>
 *   <li><b>Weights:</b> {@code int}, usually non-negative (the readers reject negative weights unless told
 *       otherwise). Accumulate path lengths in {@code long}. An unweighted graph has no weight array; {@link
 *       #weight(long)} then returns 1, {@link #weights()} throws, and {@link #withUnitWeights()} gives a view
 *       with an explicit array of ones.</li>
 *   <li><b>Coordinates</b> (optional, {@code int}): DIMACS {@code .co} files give longitude/latitude in
 *       millionths of a degree; the grid generator gives column/row and the geometric generator integer
 *       points whose Euclidean distance never exceeds the arc weight (an admissible A* heuristic with factor
 *       1).</li>
 *   <li><b>File ids:</b> {@link #fileId(int)} and {@link #nodeOf(long)} convert between internal ids and the
 *       ids of the file the graph came from, either by a constant {@link #idOffset()} (DIMACS/PACE/Matrix
 *       Market: 1) or by a strictly increasing array of original ids (SNAP).</li>
 *   <li><b>Null policy:</b> no method accepts or returns {@code null} except the documented optional arrays
 *       passed to {@link #fromArrays}.</li>
 * </ul>
 *
 * <h2>Memory</h2>
 * Per arc: 4 bytes target + 4 bytes weight (none if unweighted); per node: 8 bytes offset, plus 8 bytes of
 * coordinates and 8 bytes of file id when present. With average out-degree d that is {@code 8 + 8/d} bytes
 * per arc for a weighted graph (about 10.9 bytes per arc for New York, d = 2.8). See {@link #sizeInBytes()}.
 *
 * <h2>Limits</h2>
 * At most {@link #MAX_ARCS} arcs (Java arrays are {@code int}-indexed) and {@code Integer.MAX_VALUE - 1}
 * nodes. Arc indices are {@code long} everywhere in the API so that lifting the first limit (chunked arrays)
 * will not change callers other than the {@code (int)} casts in hot loops.
 */
public final class CsrGraph {
    /** Largest number of arcs one graph can hold (the largest safe Java array length). */
    public static final long MAX_ARCS = Integer.MAX_VALUE - 8;

    private final int n;
    private final boolean directed;
    private final long edges;
    private final long[] offsets;
    private final int[] targets;
    private final int[] weights; // null: unweighted
    private final int[] x; // null: no coordinates
    private final int[] y;
    private final int idOffset;
    private final long[] fileIds; // null: fileId = node + idOffset
    /** Cached weight range (see weightRange()); RANGE_UNKNOWN until first computed. Volatile: a long. */
    private volatile long weightRange = RANGE_UNKNOWN;
    /** No real range: max < min. */
    private static final long RANGE_UNKNOWN = Long.MIN_VALUE | 1L;
    /** Cached {@link #arcWords()}; null until first requested. Volatile: published fully built. */
    private volatile long[] arcWords;

    /** Trusted constructor: the arrays are already validated (builders, generators, cache). */
    CsrGraph(int n, boolean directed, long edges, long[] offsets, int[] targets, int[] weights, int[] x,
            int[] y, int idOffset, long[] fileIds) {
        this.n = n;
        this.directed = directed;
        this.edges = edges;
        this.offsets = offsets;
        this.targets = targets;
        this.weights = weights;
        this.x = x;
        this.y = y;
        this.idOffset = idOffset;
        this.fileIds = fileIds;
    }

    /**
     * Wraps existing CSR arrays without copying them, after checking them in O(n + m): offsets start at 0,
     * never decrease and end at {@code targets.length}; every target is in {@code 0..n-1}; weights (if not
     * null) have one entry per arc; and, for an undirected graph, every arc has its reverse with the same
     * weight (checked in O(m log d) by sorting copies of the adjacency lists). The caller hands the arrays
     * over and must not modify them afterwards.
     *
     * @param n number of nodes, {@code offsets.length - 1}
     * @param directed whether arcs are one-way; if false the arrays must hold both arcs of every edge
     * @param offsets {@code n + 1} arc offsets
     * @param targets arc targets
     * @param weights arc weights, or {@code null} for an unweighted graph
     * @return the graph (ids {@code 0..n-1}, file id = node id, no coordinates)
     * @throws IllegalArgumentException if the arrays are inconsistent
     */
    public static CsrGraph fromArrays(int n, boolean directed, long[] offsets, int[] targets, int[] weights) {
        if (n < 0 || n > Integer.MAX_VALUE - 1) {
            throw new IllegalArgumentException("node count out of range: " + n);
        }
        if (offsets.length != n + 1) {
            throw new IllegalArgumentException("offsets has length " + offsets.length + ", expected n+1 = " + (n + 1));
        }
        if (offsets[0] != 0 || offsets[n] != targets.length) {
            throw new IllegalArgumentException("offsets must start at 0 and end at targets.length = " + targets.length);
        }
        if (weights != null && weights.length != targets.length) {
            throw new IllegalArgumentException("weights has length " + weights.length + ", targets " + targets.length);
        }
        for (int u = 0; u < n; u++) {
            if (offsets[u + 1] < offsets[u]) {
                throw new IllegalArgumentException("offsets decrease at node " + u);
            }
        }
        long loops = 0;
        for (int u = 0; u < n; u++) {
            for (long e = offsets[u]; e < offsets[u + 1]; e++) {
                int t = targets[(int) e];
                if (t < 0 || t >= n) {
                    throw new IllegalArgumentException("arc " + e + " of node " + u + " has target " + t + " outside 0.." + (n - 1));
                }
                if (t == u) {
                    loops++;
                }
            }
        }
        long m = targets.length;
        if (!directed) {
            checkSymmetric(n, offsets, targets, weights);
        }
        return new CsrGraph(n, directed, directed ? m : (m - loops) / 2 + loops, offsets, targets, weights,
                null, null, 0, null);
    }

    private static void checkSymmetric(int n, long[] offsets, int[] targets, int[] weights) {
        // Compare the multiset of (u, v, w) with the multiset of (v, u, w) through the transpose.
        CsrGraph directedView = new CsrGraph(n, true, targets.length, offsets, targets, weights, null, null, 0, null);
        CsrGraph t = directedView.transpose();
        for (int u = 0; u < n; u++) {
            long[] a = adjacencyKeys(offsets, targets, weights, u);
            long[] b = adjacencyKeys(t.offsets, t.targets, t.weights, u);
            if (!Arrays.equals(a, b)) {
                throw new IllegalArgumentException("undirected graph is not symmetric at node " + u);
            }
        }
    }

    private static long[] adjacencyKeys(long[] off, int[] tgt, int[] w, int u) {
        int lo = (int) off[u];
        int hi = (int) off[u + 1];
        long[] keys = new long[hi - lo];
        for (int e = lo; e < hi; e++) {
            keys[e - lo] = ((long) tgt[e] << 32) | ((w == null ? 1 : w[e]) & 0xffffffffL);
        }
        Arrays.sort(keys);
        return keys;
    }

    /** @return number of nodes n; ids are {@code 0..n-1} */
    public int nodes() {
        return n;
    }

    /** @return number of stored arcs m (both directions of every undirected edge count) */
    public long arcs() {
        return targets.length;
    }

    /**
     * @return for a directed graph the number of arcs; for an undirected graph the number of edges (pairs of
     *     arcs, self loops once)
     */
    public long edges() {
        return edges;
    }

    /**
     * The graph as a flat list of endpoint pairs {@code u0, v0, u1, v1, ...}: every arc of a directed graph, each
     * undirected edge once (as the arc from its smaller end; self loops of an undirected graph are left out), in
     * arc order. O(n + m) time; a new array of at most {@code 2 * arcs()} ints.
     *
     * @throws ArithmeticException if the pairs do not fit one array
     */
    public int[] edgeEndpoints() {
        int[] out = new int[Math.toIntExact(2 * arcs())];
        int k = 0;
        for (int u = 0; u < n; u++) {
            for (long a = offsets[u], end = offsets[u + 1]; a < end; a++) {
                int v = targets[(int) a];
                if (directed || u < v) {
                    out[k++] = u;
                    out[k++] = v;
                }
            }
        }
        return k == out.length ? out : Arrays.copyOf(out, k);
    }

    /** @return true if arcs are one-way; false if every edge is stored as two arcs */
    public boolean isDirected() {
        return directed;
    }

    /** @return true if the graph has a weight array */
    public boolean hasWeights() {
        return weights != null;
    }

    /** @return true if the graph has node coordinates */
    public boolean hasCoordinates() {
        return x != null;
    }

    /** @return the {@code n + 1} arc offsets (do not modify) */
    public long[] offsets() {
        return offsets;
    }

    /** @return the {@code m} arc targets (do not modify) */
    public int[] targets() {
        return targets;
    }

    /**
     * @return the {@code m} arc weights (do not modify)
     * @throws IllegalStateException if the graph is unweighted (see {@link #withUnitWeights()})
     */
    public int[] weights() {
        if (weights == null) {
            throw new IllegalStateException("graph is unweighted; use withUnitWeights() or weight(arc)");
        }
        return weights;
    }

    /**
     * @return the x coordinates, one per node (do not modify)
     * @throws IllegalStateException if the graph has no coordinates
     */
    public int[] xs() {
        requireCoordinates();
        return x;
    }

    /**
     * @return the y coordinates, one per node (do not modify)
     * @throws IllegalStateException if the graph has no coordinates
     */
    public int[] ys() {
        requireCoordinates();
        return y;
    }

    private void requireCoordinates() {
        if (x == null) {
            throw new IllegalStateException("graph has no coordinates; see withCoordinates and GraphReader.readDimacsCoordinates");
        }
    }

    /** @return index of the first out-arc of {@code u} */
    public long firstArc(int u) {
        return offsets[u];
    }

    /** @return one past the index of the last out-arc of {@code u} */
    public long endArc(int u) {
        return offsets[u + 1];
    }

    /** @return out-degree of {@code u} (for an undirected graph, its degree) */
    public int degree(int u) {
        return (int) (offsets[u + 1] - offsets[u]);
    }

    /** @return the target of arc {@code arc} */
    public int target(long arc) {
        return targets[(int) arc];
    }

    /** @return the weight of arc {@code arc}, or 1 if the graph is unweighted */
    public int weight(long arc) {
        return weights == null ? 1 : weights[(int) arc];
    }

    /**
     * The arcs in one array, target and weight side by side: arc {@code e} is the word {@code words[e]} with the
     * target in its low 32 bits ({@code (int) words[e]}) and the weight (1 if unweighted) in its high 32 bits
     * ({@code (int) (words[e] >> 32)}). For hot loops that read a node's targets and weights together (shortest
     * paths): one adjacency list is one run of memory instead of two.
     *
     * <p>A cache, not part of the graph's identity: built on the first call in O(m), kept for the graph's lifetime
     * (8 more bytes per arc, not counted by {@link #sizeInBytes()}). Thread-safe: concurrent first calls may each
     * build an equal array; the one kept is published through a volatile field, so every caller sees it fully
     * written. Views made by {@code with...} methods build their own. Do not modify the returned array.
     *
     * @return the {@code m} arc words (the cached array)
     */
    public long[] arcWords() {
        long[] words = arcWords;
        if (words == null) {
            words = new long[targets.length];
            for (int e = 0; e < words.length; e++) {
                words[e] = ((long) (weights == null ? 1 : weights[e]) << 32) | (targets[e] & 0xFFFF_FFFFL);
            }
            arcWords = words;
        }
        return words;
    }

    /** @return the largest arc weight (1 if unweighted, 0 if there are no arcs); O(m) on the first call, then O(1) */
    public int maxWeight() {
        return (int) (weightRange() >> 32);
    }

    /** @return the smallest arc weight (1 if unweighted, 0 if there are no arcs); O(m) on the first call, then O(1) */
    public int minWeight() {
        return (int) weightRange();
    }

    /** (max << 32) | (min & 0xFFFFFFFF), computed on first use; a benign race may compute it twice. */
    private long weightRange() {
        long r = weightRange;
        if (r == RANGE_UNKNOWN) {
            int min;
            int max;
            if (targets.length == 0) {
                min = 0;
                max = 0;
            } else if (weights == null) {
                min = 1;
                max = 1;
            } else {
                min = Integer.MAX_VALUE;
                max = Integer.MIN_VALUE;
                for (int w : weights) {
                    min = Math.min(min, w);
                    max = Math.max(max, w);
                }
            }
            r = ((long) max << 32) | (min & 0xFFFF_FFFFL);
            weightRange = r;
        }
        return r;
    }

    /** @return the id the source file used for internal node {@code node} */
    public long fileId(int node) {
        if (node < 0 || node >= n) {
            throw new IndexOutOfBoundsException("node " + node + " outside 0.." + (n - 1));
        }
        return fileIds != null ? fileIds[node] : (long) node + idOffset;
    }

    /**
     * Converts a file id to an internal id: O(1) for offset ids, O(log n) binary search for remapped ids.
     *
     * @return the internal node id, or -1 if no node has that file id
     */
    public int nodeOf(long fileId) {
        if (fileIds != null) {
            int i = Arrays.binarySearch(fileIds, fileId);
            return i >= 0 ? i : -1;
        }
        long node = fileId - idOffset;
        return node >= 0 && node < n ? (int) node : -1;
    }

    /** @return the constant added to internal ids to get file ids (meaningful when {@link #fileIds()} is absent) */
    public int idOffset() {
        return idOffset;
    }

    /** @return true if file ids are stored explicitly (remapped ids, e.g. SNAP) rather than as an offset */
    public boolean hasFileIds() {
        return fileIds != null;
    }

    /**
     * @return the strictly increasing original ids, one per node (do not modify)
     * @throws IllegalStateException if ids are given by {@link #idOffset()} instead
     */
    public long[] fileIds() {
        if (fileIds == null) {
            throw new IllegalStateException("file ids are node + idOffset (" + idOffset + ")");
        }
        return fileIds;
    }

    /**
     * Returns this graph with node coordinates attached (shares every other array; O(1), the coordinate arrays
     * are taken without copying).
     *
     * @throws IllegalArgumentException if either array's length is not {@link #nodes()}
     */
    public CsrGraph withCoordinates(int[] xs, int[] ys) {
        if (xs.length != n || ys.length != n) {
            throw new IllegalArgumentException("coordinates for " + xs.length + "/" + ys.length + " nodes, graph has " + n);
        }
        return new CsrGraph(n, directed, edges, offsets, targets, weights, xs, ys, idOffset, fileIds);
    }

    /** Same as {@code withCoordinates(c.x(), c.y())}. */
    public CsrGraph withCoordinates(Coordinates c) {
        return withCoordinates(c.x(), c.y());
    }

    /**
     * Returns this graph with file ids given by a constant offset (O(1); e.g. 1 for DIMACS numbering).
     */
    public CsrGraph withIdOffset(int offset) {
        return new CsrGraph(n, directed, edges, offsets, targets, weights, x, y, offset, null);
    }

    /**
     * Returns this graph with explicit file ids (taken without copying).
     *
     * @throws IllegalArgumentException if the length is not {@link #nodes()} or the ids are not strictly increasing
     */
    public CsrGraph withFileIds(long[] ids) {
        if (ids.length != n) {
            throw new IllegalArgumentException("file ids for " + ids.length + " nodes, graph has " + n);
        }
        for (int i = 1; i < n; i++) {
            if (ids[i] <= ids[i - 1]) {
                throw new IllegalArgumentException("file ids must be strictly increasing (index " + i + ")");
            }
        }
        return new CsrGraph(n, directed, edges, offsets, targets, weights, x, y, 0, ids);
    }

    /**
     * Returns a weighted graph: this graph if it already has weights, otherwise the same structure with a new
     * array of ones (4 bytes per arc; O(m)).
     */
    public CsrGraph withUnitWeights() {
        if (weights != null) {
            return this;
        }
        int[] ones = new int[targets.length];
        Arrays.fill(ones, 1);
        return new CsrGraph(n, directed, edges, offsets, targets, ones, x, y, idOffset, fileIds);
    }

    /** Returns this graph without its weight array (O(1)). */
    public CsrGraph withoutWeights() {
        return weights == null ? this : new CsrGraph(n, directed, edges, offsets, targets, null, x, y, idOffset, fileIds);
    }

    /**
     * Returns the transpose (every arc reversed), keeping weights, coordinates and ids; for an undirected graph
     * this returns {@code this}. O(n + m) time, a new graph of the same size; arcs into {@code v} appear in
     * increasing order of their source.
     */
    public CsrGraph transpose() {
        if (!directed) {
            return this;
        }
        int m = targets.length;
        long[] off = new long[n + 1];
        for (int e = 0; e < m; e++) {
            off[targets[e] + 1]++;
        }
        for (int i = 0; i < n; i++) {
            off[i + 1] += off[i];
        }
        int[] tgt = new int[m];
        int[] w = weights == null ? null : new int[m];
        long[] cursor = Arrays.copyOf(off, n);
        for (int u = 0; u < n; u++) {
            for (int e = (int) offsets[u], end = (int) offsets[u + 1]; e < end; e++) {
                int pos = (int) cursor[targets[e]]++;
                tgt[pos] = u;
                if (w != null) {
                    w[pos] = weights[e];
                }
            }
        }
        return new CsrGraph(n, true, edges, off, tgt, w, x, y, idOffset, fileIds);
    }

    /** @return approximate heap bytes of the arrays (offsets, targets, weights, coordinates, file ids) */
    public long sizeInBytes() {
        long bytes = 8L * offsets.length + 4L * targets.length;
        if (weights != null) {
            bytes += 4L * weights.length;
        }
        if (x != null) {
            bytes += 8L * n;
        }
        if (fileIds != null) {
            bytes += 8L * n;
        }
        return bytes;
    }

    /** @return a short description, e.g. {@code CsrGraph[directed, n=264346, arcs=733846, weighted]} */
    @Override
    public String toString() {
        return "CsrGraph[" + (directed ? "directed" : "undirected") + ", n=" + n + ", arcs=" + targets.length
                + (directed ? "" : ", edges=" + edges) + (weights != null ? ", weighted" : ", unweighted")
                + (x != null ? ", coordinates" : "") + "]";
    }

    // Package-private raw access for the cache writer.
    int[] rawWeights() {
        return weights;
    }

    int[] rawX() {
        return x;
    }

    int[] rawY() {
        return y;
    }

    long[] rawFileIds() {
        return fileIds;
    }
}
