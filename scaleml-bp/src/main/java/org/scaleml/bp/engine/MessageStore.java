package org.scaleml.bp.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

import org.scaleml.bp.FactorGraph;
import org.scaleml.bp.ZeroProbabilityException;

/**
 * The message state every engine shares: one normalized factor-to-variable message per edge of a
 * {@link FactorGraph}, stored flat in one {@code double[]}, and the sum-product computation of a new message.
 *
 * <p><b>Domain.</b> Linear domain; every stored message sums to 1, and the variable-to-factor messages it is
 * computed from (never stored: recomputed as products of the other incoming factor-to-variable messages) are
 * rescaled by their maximum, so products of many messages neither underflow nor overflow in practice. A message
 * whose computed mass is 0 (contradictory evidence) is stored as uniform.
 *
 * <p><b>Layout.</b> The messages into a variable are stored back to back (in the order of
 * {@code g.factorsOf(v)}), so a variable-to-factor product and the seqlock-guarded snapshot behind it touch one or
 * two cache lines instead of one line per neighbouring factor; edge ids are unchanged, only {@link #msgOff} maps
 * them. Pairwise factors, the whole work of grid models, take a fast path from a packed per-edge record (an edge
 * and its sibling share a cache line) and flat tables, which avoids the pointer hops to the scope and table
 * arrays; it does the same arithmetic in the same order as the generic path, so both agree bit for bit
 * (MessageStoreTest). This speeds up every engine alike, exact and relaxed.
 *
 * <p><b>Thread safety.</b> Built with {@code concurrent = false} it is a plain single-threaded structure. Built with
 * {@code concurrent = true}, {@link #compute}, {@link #residual} and {@link #write} may be called from many threads:
 * all messages <em>into</em> a variable {@code v} are guarded by one sequence lock {@code seq[v]} (even: stable,
 * odd: being written). A writer CASes {@code seq[v]} from even to odd (a volatile CAS: later accesses cannot move
 * before it), writes the entries with opaque stores (no tearing of doubles), and release-stores the next even
 * value. A reader reads {@code seq[v]} with acquire, reads the entries opaquely, issues a load-load fence and
 * re-reads {@code seq[v]}; it retries if the value was odd or changed. So every variable-to-factor product and
 * every residual is computed from a consistent snapshot of the messages into one variable (not a global snapshot:
 * asynchronous BP tolerates that, and the engines' final sequential check measures residuals exactly). Writers
 * never hold a lock while reading another, so there is no deadlock; the critical section is a few stores.
 *
 * <p><b>Why one class.</b> The layout, the seqlock and the sum-product kernels are one design: the kernels read the
 * flat layout inside the seqlock's retry loop, and the fast pairwise path must do the generic path's arithmetic in
 * the same order. Split apart, each piece would need the others' private offsets; the file is long mostly because
 * of this documentation.
 */
final class MessageStore {
    private static final VarHandle DOUBLES = MethodHandles.arrayElementVarHandle(double[].class);
    private static final VarHandle INTS = MethodHandles.arrayElementVarHandle(int[].class);

    final FactorGraph g;
    final int edges;
    /**
     * Offset of edge e's message in {@link #msg}; {@code msgOff[edges]} is the total length. Messages are laid
     * out by target variable (see {@link #varOff}), not by edge id, so offsets are not monotone in e.
     */
    final int[] msgOff;
    /** Cardinality of edge e's variable, i.e. the length of its message. */
    final int[] edgeCard;
    /**
     * Offset of the first message into variable v: the messages into v are stored back to back at
     * {@code varOff[v] + k * card(v)}, k following {@code g.factorsOf(v)}.
     */
    final int[] varOff;
    /**
     * The pairwise fast path's per-edge record, four ints per edge so that an edge and its sibling (the other
     * edge of the same pairwise factor, adjacent id) share a cache line: {@code [4e]} message offset,
     * {@code [4e+1]} variable, {@code [4e+2]} offset of the factor's table in {@link #pairTable} and
     * {@code [4e+3]} scope position | cardinality << 1; the last two are -1 unless the factor is pairwise.
     */
    private final int[] pair;
    /** The tables of all pairwise factors back to back (read without the pointer hop to each table). */
    private final double[] pairTable;
    final int[] edgeVar;
    final int[] edgeFactor;
    /**
     * Flat copies of the graph's adjacency (its per-variable and per-factor arrays are separate objects, a pointer
     * hop each on the hot paths): factor f's edges are {@code factorEdgeOff[f] .. factorEdgeOff[f + 1] - 1}; the
     * factors of variable v are {@code varFactor[varFactorOff[v] ..]}, and v's position in each one's scope is
     * at the same index of {@code varFactorPos}.
     */
    final int[] factorEdgeOff;
    final int[] varFactorOff;
    final int[] varFactor;
    final int[] varFactorPos;
    final int[] edgePos;
    final double[] msg;
    final int maxCard;
    final int maxScope;
    private final boolean concurrent;
    private final int[] seq;
    /**
     * The first edge whose computed message was 0 for every value (or not finite), -1 while none was. BP keeps
     * every message positive at the values of any assignment of positive probability (by induction from the
     * uniform start), so such a message proves the model gives everything probability zero.
     */
    private final AtomicInteger zeroEdge = new AtomicInteger(-1);

    MessageStore(FactorGraph g, boolean concurrent) {
        this.g = g;
        this.edges = g.edges();
        this.concurrent = concurrent;
        int n = g.variables();
        msgOff = new int[edges + 1];
        edgeVar = new int[edges];
        edgeFactor = new int[edges];
        edgePos = new int[edges];
        edgeCard = new int[edges];
        varOff = new int[n + 1];
        pair = new int[4 * edges];
        int ms = 0;
        long tabTotal = 0;
        for (int f = 0; f < g.factors(); f++) {
            int[] sc = g.scope(f);
            ms = Math.max(ms, sc.length);
            for (int j = 0; j < sc.length; j++) {
                int e = g.edge(f, j);
                edgeVar[e] = sc[j];
                edgeFactor[e] = f;
                edgePos[e] = j;
                edgeCard[e] = g.cardinality(sc[j]);
            }
            if (sc.length == 2) {
                tabTotal += g.table(f).length;
            }
        }
        if (tabTotal > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("too many pairwise table entries for one array: " + tabTotal);
        }
        pairTable = new double[(int) tabTotal];
        // layout by target variable: the messages into v are contiguous, in the order of g.factorsOf(v)
        long total = 0;
        for (int v = 0; v < n; v++) {
            varOff[v] = (int) total;
            int[] fs = g.factorsOf(v);
            int[] ps = g.positionsOf(v);
            for (int k = 0; k < fs.length; k++) {
                msgOff[g.edge(fs[k], ps[k])] = (int) total;
                total += g.cardinality(v);
                if (total > Integer.MAX_VALUE - 8) {
                    throw new IllegalArgumentException("too many message entries for one array: " + total);
                }
            }
        }
        msgOff[edges] = (int) total;
        varOff[n] = (int) total;
        int tOff = 0;
        for (int f = 0; f < g.factors(); f++) {
            int[] sc = g.scope(f);
            for (int j = 0; j < sc.length; j++) {
                int e = g.edge(f, j);
                pair[4 * e] = msgOff[e];
                pair[4 * e + 1] = edgeVar[e];
                pair[4 * e + 2] = sc.length == 2 ? tOff : -1;
                pair[4 * e + 3] = sc.length == 2 ? j | (edgeCard[e] << 1) : -1;
            }
            if (sc.length == 2) {
                double[] t = g.table(f);
                System.arraycopy(t, 0, pairTable, tOff, t.length);
                tOff += t.length;
            }
        }
        maxScope = ms;
        maxCard = Math.max(1, g.maxCardinality());
        msg = new double[(int) total];
        for (int e = 0; e < edges; e++) {
            int c = edgeCard[e];
            Arrays.fill(msg, msgOff[e], msgOff[e] + c, 1.0 / c);
        }
        seq = concurrent ? new int[n] : null;
        int nf = g.factors();
        factorEdgeOff = new int[nf + 1];
        for (int f = 0; f < nf; f++) {
            factorEdgeOff[f] = g.edgeOffset(f);
        }
        factorEdgeOff[nf] = edges;
        varFactorOff = new int[n + 1];
        for (int v = 0; v < n; v++) {
            varFactorOff[v + 1] = varFactorOff[v] + g.factorsOf(v).length;
        }
        varFactor = new int[varFactorOff[n]];
        varFactorPos = new int[varFactorOff[n]];
        for (int v = 0; v < n; v++) {
            System.arraycopy(g.factorsOf(v), 0, varFactor, varFactorOff[v], g.factorsOf(v).length);
            System.arraycopy(g.positionsOf(v), 0, varFactorPos, varFactorOff[v], g.positionsOf(v).length);
        }
    }

    /** Scratch space of one thread: enough for a message and the incoming products of one factor. */
    final class Scratch {
        final double[] in = new double[maxScope * maxCard];
        final double[] out = new double[maxCard];
        final double[] cur = new double[maxCard];
        final int[] x = new int[Math.max(1, maxScope)];
    }

    Scratch scratch() {
        return new Scratch();
    }

    int card(int e) {
        return edgeCard[e];
    }

    /**
     * Computes into {@code dst[dOff..]} the variable-to-factor message from the variable at scope position
     * {@code pos} of factor {@code f} to {@code f}: the product of the messages into that variable from all its
     * other factors, rescaled so its maximum is 1.
     */
    private void varToFactor(int f, int pos, double[] dst, int dOff) {
        int u = g.scope(f)[pos];
        productExcept(u, g.cardinality(u), msgOff[g.edge(f, pos)], dst, dOff);
    }

    /**
     * The product of the messages into {@code u} (cardinality {@code c}) except the one stored at {@code skip},
     * rescaled as described at {@link #varToFactor}, into {@code dst[dOff..]}; a consistent snapshot of u's
     * messages when concurrent.
     */
    private void productExcept(int u, int c, int skip, double[] dst, int dOff) {
        int from = varOff[u];
        int to = varOff[u + 1];
        while (true) {
            int s0 = 0;
            if (concurrent) {
                s0 = (int) INTS.getAcquire(seq, u);
                if ((s0 & 1) != 0) {
                    Thread.onSpinWait();
                    continue;
                }
            }
            if (c == 2) {
                binaryProduct(from, to, skip, dst, dOff);
            } else {
                Arrays.fill(dst, dOff, dOff + c, 1.0);
                for (int o = from; o < to; o += c) {
                    if (o == skip) {
                        continue;
                    }
                    double max = 0;
                    for (int x = 0; x < c; x++) {
                        double m = concurrent ? (double) DOUBLES.getOpaque(msg, o + x) : msg[o + x];
                        double p = dst[dOff + x] * m;
                        dst[dOff + x] = p;
                        max = Math.max(max, p);
                    }
                    if (max > 0 && (max < 1e-150 || max > 1e150)) {
                        for (int x = 0; x < c; x++) {
                            dst[dOff + x] /= max;
                        }
                    }
                }
            }
            if (concurrent) {
                VarHandle.loadLoadFence();
                if ((int) INTS.getOpaque(seq, u) != s0) {
                    continue;
                }
            }
            return;
        }
    }

    /**
     * The binary case of {@link #varToFactor}: the same products, in the same order, with the same rescaling,
     * so bit for bit the generic result, with the two entries kept in registers.
     */
    private void binaryProduct(int from, int to, int skip, double[] dst, int dOff) {
        double p0 = 1.0;
        double p1 = 1.0;
        for (int o = from; o < to; o += 2) {
            if (o == skip) {
                continue;
            }
            double m0;
            double m1;
            if (concurrent) {
                m0 = (double) DOUBLES.getOpaque(msg, o);
                m1 = (double) DOUBLES.getOpaque(msg, o + 1);
            } else {
                m0 = msg[o];
                m1 = msg[o + 1];
            }
            p0 *= m0;
            p1 *= m1;
            double max = Math.max(Math.max(0, p0), p1);
            if (max > 0 && (max < 1e-150 || max > 1e150)) {
                p0 /= max;
                p1 /= max;
            }
        }
        dst[dOff] = p0;
        dst[dOff + 1] = p1;
    }

    /**
     * Computes the normalized sum-product message of edge {@code e} (factor to variable) from the current
     * messages into {@code s.out}; damping is not applied here.
     */
    void compute(int e, Scratch s) {
        int pj = pair[4 * e + 3];
        if (pj >= 0) {
            computePairwise(e, pj, s);
            return;
        }
        computeGeneric(e, s);
    }

    /**
     * {@link #compute} for an edge of a pairwise factor, from the packed per-edge record and the flat tables:
     * the same arithmetic in the same order as {@link #computeGeneric}, so bit for bit the same message.
     */
    private void computePairwise(int e, int pj, Scratch s) {
        int j = pj & 1;
        int cj = pj >>> 1;
        int e2 = e + 1 - 2 * j; // the other edge of the factor
        int skip = pair[4 * e2];
        int u = pair[4 * e2 + 1];
        int cu = pair[4 * e2 + 3] >>> 1;
        int tb = pair[4 * e + 2];
        double[] t = pairTable;
        double[] in = s.in;
        double[] out = s.out;
        productExcept(u, cu, skip, in, 0);
        if (j == 0) { // table rows: this edge's variable (cj), columns: u (cu)
            if (cu == 2) {
                double i0 = in[0];
                double i1 = in[1];
                for (int a = 0; a < cj; a++) {
                    double sum = 0;
                    sum += t[tb + 2 * a] * i0;
                    sum += t[tb + 2 * a + 1] * i1;
                    out[a] = sum;
                }
            } else {
                for (int a = 0; a < cj; a++) {
                    double sum = 0;
                    int base = tb + a * cu;
                    for (int b = 0; b < cu; b++) {
                        sum += t[base + b] * in[b];
                    }
                    out[a] = sum;
                }
            }
        } else { // rows: u (cu), columns: this edge's variable (cj)
            Arrays.fill(out, 0, cj, 0.0);
            for (int a = 0; a < cu; a++) {
                double w = in[a];
                int base = tb + a * cj;
                for (int b = 0; b < cj; b++) {
                    out[b] += t[base + b] * w;
                }
            }
        }
        normalizeMessage(e, out, cj);
    }

    /** {@link #compute} for any factor (the reference path; pairwise factors take {@link #computePairwise}). */
    void computeGeneric(int e, Scratch s) {
        int f = edgeFactor[e];
        int j = edgePos[e];
        int[] sc = g.scope(f);
        double[] t = g.table(f);
        double[] out = s.out;
        int k = sc.length;
        int cj = g.cardinality(sc[j]);
        Arrays.fill(out, 0, cj, 0.0);
        if (k == 1) {
            System.arraycopy(t, 0, out, 0, cj);
        } else if (k == 2) {
            int o = 1 - j;
            double[] in = s.in;
            varToFactor(f, o, in, 0);
            int c0 = g.cardinality(sc[0]);
            int c1 = g.cardinality(sc[1]);
            if (j == 0) {
                for (int a = 0; a < c0; a++) {
                    double sum = 0;
                    int base = a * c1;
                    for (int b = 0; b < c1; b++) {
                        sum += t[base + b] * in[b];
                    }
                    out[a] = sum;
                }
            } else {
                for (int a = 0; a < c0; a++) {
                    double w = in[a];
                    int base = a * c1;
                    for (int b = 0; b < c1; b++) {
                        out[b] += t[base + b] * w;
                    }
                }
            }
        } else {
            double[] in = s.in;
            for (int i = 0; i < k; i++) {
                if (i != j) {
                    varToFactor(f, i, in, i * maxCard);
                }
            }
            int[] x = s.x;
            Arrays.fill(x, 0, k, 0);
            for (int idx = 0; idx < t.length; idx++) {
                double p = t[idx];
                if (p != 0) {
                    for (int i = 0; i < k && p != 0; i++) {
                        if (i != j) {
                            p *= in[i * maxCard + x[i]];
                        }
                    }
                    out[x[j]] += p;
                }
                for (int i = k - 1; i >= 0; i--) { // odometer, last variable fastest
                    if (++x[i] < g.cardinality(sc[i])) {
                        break;
                    }
                    x[i] = 0;
                }
            }
        }
        normalizeMessage(e, out, cj);
    }

    /**
     * Normalizes a computed message; a message that is 0 everywhere (or not finite) becomes uniform, so that the
     * run can finish, and is recorded: {@link #marginals()} then reports it.
     */
    private void normalizeMessage(int e, double[] out, int n) {
        if (!normalize(out, n)) {
            zeroEdge.compareAndSet(-1, e);
        }
    }

    /** Whether some computed message was 0 for every value (the run cannot give marginals; see {@link #marginals()}). */
    boolean sawZeroMessage() {
        return zeroEdge.get() >= 0;
    }

    /**
     * Scales {@code a[0..n)} to sum 1; returns false (and makes it uniform) if its sum is 0 or not finite.
     */
    static boolean normalize(double[] a, int n) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += a[i];
        }
        if (sum > 0 && Double.isFinite(sum)) {
            double inv = 1.0 / sum;
            for (int i = 0; i < n; i++) {
                a[i] *= inv;
            }
            return true;
        }
        Arrays.fill(a, 0, n, 1.0 / n);
        return false;
    }

    /** Copies the current message of edge {@code e} into {@code dst} (a consistent snapshot when concurrent). */
    void read(int e, double[] dst) {
        int o = msgOff[e];
        int c = edgeCard[e];
        if (!concurrent) {
            System.arraycopy(msg, o, dst, 0, c);
            return;
        }
        int v = edgeVar[e];
        while (true) {
            int s0 = (int) INTS.getAcquire(seq, v);
            if ((s0 & 1) != 0) {
                Thread.onSpinWait();
                continue;
            }
            for (int x = 0; x < c; x++) {
                dst[x] = (double) DOUBLES.getOpaque(msg, o + x);
            }
            VarHandle.loadLoadFence();
            if ((int) INTS.getOpaque(seq, v) == s0) {
                return;
            }
        }
    }

    /**
     * Applies damping to {@code s.out} against the current message of {@code e} (read into {@code s.cur}) and
     * returns the residual: the max abs difference between the damped new message and the current one.
     */
    double dampAndResidual(int e, Scratch s, double damping) {
        int c = card(e);
        read(e, s.cur);
        double r = 0;
        for (int x = 0; x < c; x++) {
            double nv = damping == 0 ? s.out[x] : (1 - damping) * s.out[x] + damping * s.cur[x];
            s.out[x] = nv;
            r = Math.max(r, Math.abs(nv - s.cur[x]));
        }
        return r;
    }

    /** The residual of edge {@code e} now: compute, damp, compare (the new message is left in {@code s.out}). */
    double residual(int e, Scratch s, double damping) {
        compute(e, s);
        return dampAndResidual(e, s, damping);
    }

    /** Stores {@code src[0..card)} as the message of edge {@code e} (under {@code e}'s variable's lock). */
    void write(int e, double[] src) {
        int o = msgOff[e];
        int c = edgeCard[e];
        if (!concurrent) {
            System.arraycopy(src, 0, msg, o, c);
            return;
        }
        int v = edgeVar[e];
        int s0;
        while (true) {
            s0 = (int) INTS.getOpaque(seq, v);
            if ((s0 & 1) == 0 && INTS.compareAndSet(seq, v, s0, s0 + 1)) {
                break;
            }
            Thread.onSpinWait();
        }
        for (int x = 0; x < c; x++) {
            DOUBLES.setOpaque(msg, o + x, src[x]);
        }
        INTS.setRelease(seq, v, s0 + 2);
    }

    /**
     * Calls {@code sink.accept(e')} for every edge whose message depends on the message of edge {@code e}
     * (factor f to variable v): the edges g to u with g another factor of v and u another variable of g.
     */
    void forEachDependent(int e, java.util.function.IntConsumer sink) {
        int f = edgeFactor[e];
        int v = edgeVar[e];
        for (int k = varFactorOff[v], end = varFactorOff[v + 1]; k < end; k++) {
            int h = varFactor[k];
            if (h == f) {
                continue;
            }
            int skip = factorEdgeOff[h] + varFactorPos[k];
            for (int d = factorEdgeOff[h], dEnd = factorEdgeOff[h + 1]; d < dEnd; d++) {
                if (d != skip) {
                    sink.accept(d);
                }
            }
        }
    }

    /** Exact largest residual over all edges, computed sequentially (call only when no writer runs). */
    double maxResidual(double damping) {
        Scratch s = scratch();
        double m = 0;
        for (int e = 0; e < edges; e++) {
            m = Math.max(m, residual(e, s, damping));
        }
        return m;
    }

    /**
     * Beliefs: per variable, the normalized product of its incoming messages (call only when quiescent).
     *
     * @throws ZeroProbabilityException if a message computed during the run was 0 for every value, or the
     *                                  messages into a variable are 0 together at every value: the model (with its
     *                                  evidence) gives every assignment probability zero
     */
    double[][] marginals() {
        int ze = zeroEdge.get();
        if (ze >= 0) {
            int f = edgeFactor[ze];
            int v = edgeVar[ze];
            throw new ZeroProbabilityException(v, f, "belief propagation found no assignment of positive probability: "
                    + "the message from factor " + f + " (scope " + Arrays.toString(g.scope(f)) + ") to variable " + v
                    + " is 0 for every value (impossible evidence, or zero entries of the model that contradict "
                    + "each other)");
        }
        double[][] out = new double[g.variables()][];
        for (int v = 0; v < g.variables(); v++) {
            int c = g.cardinality(v);
            double[] b = new double[c];
            Arrays.fill(b, 1.0);
            int deg = g.factorsOf(v).length;
            for (int k = 0; k < deg; k++) {
                int o = varOff[v] + k * c;
                double max = 0;
                for (int x = 0; x < c; x++) {
                    b[x] *= msg[o + x];
                    max = Math.max(max, b[x]);
                }
                if (max > 0 && max < 1e-100) {
                    for (int x = 0; x < c; x++) {
                        b[x] /= max;
                    }
                }
            }
            if (!normalize(b, c)) {
                throw new ZeroProbabilityException(v, -1, "belief propagation found no assignment of positive "
                        + "probability: the messages into variable " + v + " from factors "
                        + Arrays.toString(g.factorsOf(v)) + " are 0 together at every value (impossible evidence, "
                        + "or zero entries of the model that contradict each other)");
            }
            out[v] = b;
        }
        return out;
    }
}
