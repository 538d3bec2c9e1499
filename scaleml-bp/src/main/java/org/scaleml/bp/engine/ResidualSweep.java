package org.scaleml.bp.engine;

import org.scaleml.common.Threads;

/**
 * The exact residual of every message edge, computed on several threads: the initial sweep that seeds the relaxed
 * engines and the final sweep that decides their convergence. Package-private.
 *
 * <p>Edge ranges are contiguous and fixed per thread; threads 1..T-1 are started by the call and joined before it
 * returns (so every residual written happens-before the return). A failure in any thread is rethrown on the
 * caller. The messages must not change during the sweep (the callers run it between scheduler runs).
 */
final class ResidualSweep {
    /** Edges per thread below which fewer threads are used (a thread start costs about a millisecond here). */
    static final int MIN_EDGES_PER_THREAD = 1 << 14;

    private ResidualSweep() {
    }

    /**
     * Writes the residual of every edge into {@code res} and returns the largest.
     *
     * @param scratch one scratch per thread (at least one); its length bounds the threads used
     */
    static double residuals(MessageStore st, MessageStore.Scratch[] scratch, double damping, double[] res) {
        int edges = st.edges;
        int threads = Math.max(1, Math.min(scratch.length, edges / MIN_EDGES_PER_THREAD));
        if (threads == 1) {
            return range(st, scratch[0], damping, res, 0, edges);
        }
        double[] max = new double[threads];
        Throwable[] failure = new Throwable[threads];
        Thread[] ts = new Thread[threads];
        for (int k = 1; k < threads; k++) {
            int kk = k;
            ts[k] = new Thread(() -> {
                try {
                    max[kk] = range(st, scratch[kk], damping, res, bound(edges, kk, threads),
                            bound(edges, kk + 1, threads));
                } catch (Throwable t) {
                    failure[kk] = t;
                }
            }, "scaleml-bp-sweep-" + k);
            ts[k].setDaemon(true);
            ts[k].start();
        }
        double m;
        try {
            m = range(st, scratch[0], damping, res, 0, bound(edges, 1, threads));
        } finally {
            Threads.joinAll(ts);
        }
        for (int k = 1; k < threads; k++) {
            if (failure[k] instanceof RuntimeException re) {
                throw re;
            }
            if (failure[k] instanceof Error err) {
                throw err;
            }
            m = Math.max(m, max[k]);
        }
        return m;
    }

    private static int bound(int n, int k, int parts) {
        return (int) ((long) n * k / parts);
    }

    private static double range(MessageStore st, MessageStore.Scratch s, double damping, double[] res, int from,
                                int to) {
        double m = 0;
        for (int e = from; e < to; e++) {
            double r = st.residual(e, s, damping);
            res[e] = r;
            m = Math.max(m, r);
        }
        return m;
    }
}
