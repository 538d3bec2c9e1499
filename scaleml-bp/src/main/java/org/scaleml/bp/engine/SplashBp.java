package org.scaleml.bp.engine;

import java.util.Arrays;

import org.scaleml.bp.BpEngine;
import org.scaleml.bp.BpOptions;
import org.scaleml.bp.BpResult;
import org.scaleml.bp.FactorGraph;
import org.scaleml.concurrent.heap.IndexedMaxHeap;

/**
 * Splash BP, engine name {@code splash}: repeatedly grows a breadth-first splash of at most {@code h} factors
 * around the factor with the largest residual and updates it leaves-to-root, then root-to-leaves. Sequential (one
 * thread, whatever {@code threads} says).
 *
 * <p><b>Contract.</b> Updating a factor recomputes and applies all its outgoing factor-to-variable messages and
 * counts as scope-size updates. Per-edge residuals are kept exact (every applied message refreshes the residuals
 * of the messages depending on it, not counted as updates); a factor's residual is the largest residual of its
 * outgoing messages. Converges when the largest factor residual is at most epsilon (the reported
 * {@code maxResidual} is exact); stops unconverged as soon as {@code maxUpdates} is reached (the last splash may
 * be cut short).
 *
 * <p><b>Thread safety.</b> Stateless; concurrent runs are independent.
 */
public final class SplashBp implements BpEngine {
    /*
     * Algorithm: the Splash of Gonzalez, Low and Guestrin [1], in its residual-prioritized sequential form
     * (the "dynamic residual splash" of the paper, on factors: a variable's update is implicit, since
     * variable-to-factor messages are recomputed on demand). The root is the factor of largest residual in an
     * indexed max-heap. A BFS over factors that share a variable collects up to h factors, skipping factors whose
     * residual is at most epsilon (the root is always taken), as in the pruned splashes of [1]. The BFS order is
     * then updated in reverse (from the fringe to the root, so the root gathers fresh information) and forward
     * (from the root outward, so it is spread back). This is the exact BP schedule of a tree of size h, which is
     * why splashes converge in far fewer updates than flooding on chains and grids [1].
     *
     * [1] J. Gonzalez, Y. Low, C. Guestrin, "Residual Splash for Optimally Parallelizing Belief Propagation",
     *     AISTATS 2009.
     */

    /** Default splash size (factors per splash). */
    public static final int DEFAULT_SIZE = 16;

    private final int size;

    public SplashBp() {
        this(DEFAULT_SIZE);
    }

    /** Splash BP with splashes of at most {@code size >= 1} factors. */
    public SplashBp(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("splash size must be at least 1, got " + size);
        }
        this.size = size;
    }

    @Override
    public String name() {
        return "splash";
    }

    @Override
    public BpResult run(FactorGraph g, BpOptions o) {
        long t0 = System.nanoTime();
        MessageStore st = new MessageStore(g, false);
        MessageStore.Scratch s = st.scratch();
        double damping = o.damping();
        double eps = o.epsilon();
        double[] res = new double[st.edges];
        for (int e = 0; e < st.edges; e++) {
            res[e] = st.residual(e, s, damping);
        }
        int nf = g.factors();
        double[] fkey = new double[nf];
        for (int f = 0; f < nf; f++) {
            fkey[f] = factorKey(g, res, f);
        }
        IndexedMaxHeap heap = new IndexedMaxHeap(nf);
        heap.setAll(fkey);
        int[] order = new int[size];
        int[] mark = new int[nf];
        Arrays.fill(mark, -1);
        int splash = 0;
        long[] updates = {0};
        long max = o.maxUpdates();
        outer:
        while (nf > 0 && heap.topKey() > eps && updates[0] < max) {
            int root = heap.top();
            int n = 0;
            order[n++] = root;
            mark[root] = splash;
            for (int head = 0; head < n && n < size; head++) { // BFS over factors sharing a variable
                for (int v : g.scope(order[head])) {
                    for (int h : g.factorsOf(v)) {
                        if (n < size && mark[h] != splash && heap.key(h) > eps) {
                            mark[h] = splash;
                            order[n++] = h;
                        }
                    }
                }
            }
            splash++;
            for (int i = n - 1; i >= 0; i--) {
                if (!updateFactor(st, s, heap, res, order[i], damping, updates, max)) {
                    break outer;
                }
            }
            for (int i = 1; i < n; i++) {
                if (!updateFactor(st, s, heap, res, order[i], damping, updates, max)) {
                    break outer;
                }
            }
        }
        double maxRes = nf == 0 ? 0 : heap.topKey();
        return new BpResult(name(), st.marginals(), updates[0], System.nanoTime() - t0, maxRes <= eps, maxRes);
    }

    private static double factorKey(FactorGraph g, double[] res, int f) {
        double m = 0;
        for (int j = 0, b = g.edgeOffset(f), k = g.scope(f).length; j < k; j++) {
            m = Math.max(m, res[b + j]);
        }
        return m;
    }

    /** Applies every outgoing message of f; false if the update budget ran out. */
    private static boolean updateFactor(MessageStore st, MessageStore.Scratch s, IndexedMaxHeap heap, double[] res,
                                        int f, double damping, long[] updates, long max) {
        FactorGraph g = st.g;
        int b = g.edgeOffset(f);
        for (int j = 0, k = g.scope(f).length; j < k; j++) {
            if (updates[0] >= max) {
                return false;
            }
            int e = b + j;
            st.residual(e, s, damping);
            st.write(e, s.out);
            updates[0]++;
            res[e] = damping > 0 ? st.residual(e, s, damping) : 0;
            st.forEachDependent(e, d -> {
                res[d] = st.residual(d, s, damping);
                int h = st.edgeFactor[d];
                heap.update(h, factorKey(g, res, h));
            });
        }
        heap.update(f, factorKey(g, res, f));
        return true;
    }
}
