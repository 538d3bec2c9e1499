package org.scaleml.graph;

import java.util.Arrays;

/**
 * Builds a {@link CsrGraph} from an edge list in O(n + m) time by a counting sort on the source node.
 *
 * <pre>{@code
 * CsrGraph g = GraphBuilder.undirected(4).weighted(true)
 *         .addEdge(0, 1, 5).addEdge(1, 2, 3).addEdge(2, 3, 1)
 *         .build();
 * }</pre>
 *
 * <h2>Semantics and defaults</h2>
 * <ul>
 *   <li>A <b>directed</b> builder stores each added edge {@code (u, v)} as the arc {@code u->v}; an
 *       <b>undirected</b> builder stores it as the two arcs {@code u->v} and {@code v->u} (a self loop as one
 *       arc). This is the symmetrization used by the readers.</li>
 *   <li><b>Self loops are kept</b> by default; {@link #dropSelfLoops(boolean)} removes them.</li>
 *   <li><b>Parallel arcs are kept</b> by default (the DIMACS New York file has 3,724 of them and a faithful
 *       reader keeps them); {@link #deduplicate(boolean)} keeps one arc per (source, target) pair with the
 *       minimum weight. For an undirected builder, adding both {@code (u, v)} and {@code (v, u)} creates a
 *       parallel pair, which deduplication merges.</li>
 *   <li>The out-arcs of every node keep insertion order (the sort is stable; deduplication keeps the first
 *       occurrence's position).</li>
 *   <li>Weights are stored only if the builder is {@linkplain #weighted(boolean) weighted} (the default);
 *       {@link #addEdge(int, int)} on a weighted builder uses weight 1. Any {@code int} weight is accepted.</li>
 *   <li>File ids: {@link #idOffset(int)} (default 0) or {@link #fileIds(long[])}.</li>
 * </ul>
 *
 * <h2>Cost</h2>
 * While adding: 8 bytes per edge (12 if weighted), grown by 1.5x as needed from a capped initial capacity
 * ({@link #expectedEdges(long)} is only a hint). {@link #build()} then allocates the CSR arrays ({@code 8(n+1)}
 * bytes of offsets, 4 or 8 bytes per arc) and, with deduplication, two {@code int[n]} scratch arrays;
 * the edge list is released before deduplication. Build time O(n + m) including deduplication.
 *
 * <p>Not thread-safe. {@link #build()} may be called once; the builder is spent afterwards.
 */
public final class GraphBuilder {
    /** Cap on the initial capacity taken from a hint, so a bogus header cannot force a huge allocation. */
    static final long MAX_PREALLOCATION = 1 << 22;

    private final int n;
    private final boolean directed;
    private boolean weighted = true;
    private boolean dropSelfLoops;
    private boolean deduplicate;
    private int idOffset;
    private long[] fileIds;
    private IntArray src;
    private IntArray dst;
    private IntArray wts;
    private boolean built;

    /**
     * @param nodes number of nodes; ids are {@code 0..nodes-1}
     * @param directed whether edges are one-way arcs
     */
    public GraphBuilder(int nodes, boolean directed) {
        if (nodes < 0 || nodes > Integer.MAX_VALUE - 1) {
            throw new IllegalArgumentException("node count out of range: " + nodes);
        }
        this.n = nodes;
        this.directed = directed;
        expectedEdges(1024);
    }

    /** @return a builder of a directed graph on {@code nodes} nodes */
    public static GraphBuilder directed(int nodes) {
        return new GraphBuilder(nodes, true);
    }

    /** @return a builder of an undirected graph on {@code nodes} nodes */
    public static GraphBuilder undirected(int nodes) {
        return new GraphBuilder(nodes, false);
    }

    /**
     * Sizes the edge list for about {@code edges} edges (capped at 4M; the list grows beyond that as needed).
     * Call before adding edges.
     */
    public GraphBuilder expectedEdges(long edges) {
        checkNotStarted();
        long cap = Math.max(16, Math.min(edges, MAX_PREALLOCATION));
        src = new IntArray(cap);
        dst = new IntArray(cap);
        wts = weighted ? new IntArray(cap) : null;
        return this;
    }

    /** Whether to store weights (default true). Call before adding edges. */
    public GraphBuilder weighted(boolean weighted) {
        checkNotStarted();
        if (weighted != this.weighted) {
            this.weighted = weighted;
            wts = weighted ? new IntArray(src.a.length) : null;
        }
        return this;
    }

    /** Whether to drop self loops {@code u->u} (default false: keep). */
    public GraphBuilder dropSelfLoops(boolean drop) {
        this.dropSelfLoops = drop;
        return this;
    }

    /** Whether to merge parallel arcs into one arc with the minimum weight (default false: keep all). */
    public GraphBuilder deduplicate(boolean dedup) {
        this.deduplicate = dedup;
        return this;
    }

    /** File ids are {@code node + offset} (default 0; 1 for DIMACS, PACE and Matrix Market numbering). */
    public GraphBuilder idOffset(int offset) {
        this.idOffset = offset;
        this.fileIds = null;
        return this;
    }

    /**
     * File ids given explicitly, strictly increasing, one per node (taken without copying).
     *
     * @throws IllegalArgumentException if the length is wrong or the ids are not strictly increasing
     */
    public GraphBuilder fileIds(long[] ids) {
        if (ids.length != n) {
            throw new IllegalArgumentException("file ids for " + ids.length + " nodes, builder has " + n);
        }
        for (int i = 1; i < ids.length; i++) {
            if (ids[i] <= ids[i - 1]) {
                throw new IllegalArgumentException("file ids must be strictly increasing (index " + i + ")");
            }
        }
        this.fileIds = ids;
        this.idOffset = 0;
        return this;
    }

    /** Adds edge {@code (u, v)} with weight 1 (the weight is not stored if the builder is unweighted). */
    public GraphBuilder addEdge(int u, int v) {
        return addEdge(u, v, 1);
    }

    /**
     * Adds edge {@code (u, v)} with weight {@code w}.
     *
     * @throws IllegalArgumentException if {@code u} or {@code v} is outside {@code 0..n-1}
     * @throws IllegalStateException if the builder is unweighted and {@code w != 1}, or already built
     */
    public GraphBuilder addEdge(int u, int v, int w) {
        if (u < 0 || u >= n || v < 0 || v >= n) {
            throw new IllegalArgumentException("edge (" + u + ", " + v + ") has an endpoint outside 0.." + (n - 1));
        }
        if (built) {
            throw new IllegalStateException("builder already built");
        }
        if (wts == null && w != 1) {
            throw new IllegalStateException("unweighted builder given weight " + w);
        }
        src.add(u);
        dst.add(v);
        if (wts != null) {
            wts.add(w);
        }
        return this;
    }

    /** Unchecked append for the readers, which have validated the endpoints already. */
    void addUnchecked(int u, int v, int w) {
        src.add(u);
        dst.add(v);
        if (wts != null) {
            wts.add(w);
        }
    }

    /** @return number of edges added so far */
    public long size() {
        return built ? 0 : src.size;
    }

    /** @return number of nodes */
    public int nodes() {
        return n;
    }

    private void checkNotStarted() {
        if (built || (src != null && src.size > 0)) {
            throw new IllegalStateException("call before adding edges");
        }
    }

    /**
     * Builds the graph: O(n + m) time. The builder is spent afterwards.
     *
     * @throws IllegalStateException if called twice, or the graph would exceed {@link CsrGraph#MAX_ARCS} arcs
     */
    public CsrGraph build() {
        if (built) {
            throw new IllegalStateException("builder already built");
        }
        built = true;
        int[] s = src.a;
        int[] d = dst.a;
        int[] w = wts == null ? null : wts.a;
        int count = src.size;
        src.clear();
        dst.clear();
        if (wts != null) {
            wts.clear();
        }
        return assemble(n, directed, s, d, w, count, dropSelfLoops, deduplicate, idOffset, fileIds, null, null);
    }

    /**
     * Checks that building a graph of {@code n} nodes from {@code edges} edges fits in the heap that is left,
     * so that a header declaring a huge node count gives a clear error instead of an {@link OutOfMemoryError}.
     *
     * @return null if it fits, else a message saying how much is needed
     */
    static String heapShortfall(long n, long edges, boolean directed, boolean weighted) {
        long arcs = directed ? edges : 2 * edges;
        long need = 8 * (n + 1) + arcs * (weighted ? 8 : 4);
        Runtime rt = Runtime.getRuntime();
        long available = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        if (need <= available) {
            return null;
        }
        return "a graph of " + n + " nodes and " + arcs + " arcs needs about " + (need >> 20) + " MiB, more than the "
                + (available >> 20) + " MiB of heap left (raise -Xmx, or check the node count)";
    }

    /** As {@link #heapShortfall(long, long, boolean, boolean)} for this builder's current content. */
    String heapShortfall() {
        return heapShortfall(n, src.size, directed, wts != null);
    }

    /**
     * The counting sort, shared with the readers and generators. The first {@code count} entries of the edge
     * arrays are used; the arrays are not modified and may be released by the caller afterwards.
     */
    static CsrGraph assemble(int n, boolean directed, int[] s, int[] d, int[] w, int count, boolean dropLoops,
            boolean dedup, int idOffset, long[] fileIds, int[] xs, int[] ys) {
        // Pass 1: out-degrees into off[u + 1].
        long[] off = new long[n + 1];
        for (int i = 0; i < count; i++) {
            int u = s[i];
            int v = d[i];
            if (u == v) {
                if (!dropLoops) {
                    off[u + 1]++;
                }
                continue;
            }
            off[u + 1]++;
            if (!directed) {
                off[v + 1]++;
            }
        }
        for (int i = 0; i < n; i++) {
            off[i + 1] += off[i];
        }
        long m = off[n];
        if (m > CsrGraph.MAX_ARCS) {
            throw new IllegalStateException("graph would have " + m + " arcs; this version stores at most "
                    + CsrGraph.MAX_ARCS);
        }
        // Pass 2: scatter, using off[u] as the cursor of u (stable: insertion order within a node).
        int[] tgt = new int[(int) m];
        int[] wt = w == null ? null : new int[(int) m];
        for (int i = 0; i < count; i++) {
            int u = s[i];
            int v = d[i];
            if (u == v && dropLoops) {
                continue;
            }
            int p = (int) off[u]++;
            tgt[p] = v;
            if (wt != null) {
                wt[p] = w[i];
            }
            if (!directed && u != v) {
                int q = (int) off[v]++;
                tgt[q] = u;
                if (wt != null) {
                    wt[q] = w[i];
                }
            }
        }
        // Cursors now hold the ends; shift right to restore the starts.
        System.arraycopy(off, 0, off, 1, n);
        off[0] = 0;
        if (dedup) {
            m = deduplicateInPlace(n, off, tgt, wt);
            if (m < tgt.length) {
                tgt = Arrays.copyOf(tgt, (int) m);
                if (wt != null) {
                    wt = Arrays.copyOf(wt, (int) m);
                }
            }
        }
        long edges = m;
        if (!directed) {
            long loops = 0;
            for (int u = 0; u < n; u++) {
                for (int e = (int) off[u], end = (int) off[u + 1]; e < end; e++) {
                    if (tgt[e] == u) {
                        loops++;
                    }
                }
            }
            edges = (m - loops) / 2 + loops;
        }
        return new CsrGraph(n, directed, edges, off, tgt, wt, xs, ys, idOffset, fileIds);
    }

    /**
     * Removes parallel arcs in O(n + m) with a "last seen at" marker per target node, keeping the first
     * occurrence's position and the minimum weight; compacts the arrays in place and rewrites the offsets.
     *
     * @return the new number of arcs
     */
    private static long deduplicateInPlace(int n, long[] off, int[] tgt, int[] wt) {
        int[] mark = new int[n];
        Arrays.fill(mark, -1);
        int[] slot = new int[n]; // position of the kept arc u->t, valid while mark[t] == u
        int write = 0;
        long start = 0; // old start of the current node
        for (int u = 0; u < n; u++) {
            long end = off[u + 1];
            off[u] = write;
            for (int e = (int) start; e < end; e++) {
                int t = tgt[e];
                if (mark[t] == u) {
                    if (wt != null && wt[e] < wt[slot[t]]) {
                        wt[slot[t]] = wt[e];
                    }
                } else {
                    mark[t] = u;
                    slot[t] = write;
                    tgt[write] = t;
                    if (wt != null) {
                        wt[write] = wt[e];
                    }
                    write++;
                }
            }
            start = end;
        }
        off[n] = write;
        return write;
    }
}
