package org.scaleml.bp.engine;

import org.scaleml.bp.BpEngine;
import org.scaleml.bp.BpOptions;
import org.scaleml.bp.BpResult;
import org.scaleml.bp.FactorGraph;

/**
 * Synchronous (flooding, Jacobi) sum-product BP, engine name {@code sync}.
 *
 * <p><b>Contract.</b> Each round recomputes every factor-to-variable message from the messages of the previous
 * round; a round counts {@code edges()} updates. The run converges when a round would change no message by more
 * than epsilon; that last round is then <em>not</em> applied, so the reported {@code maxResidual} is exactly the
 * largest residual of the returned messages. It stops unconverged when another round would exceed
 * {@code maxUpdates}. With {@code threads > 1} each round is split into contiguous edge ranges computed on
 * threads started once per run and kept, spinning, between its rounds ({@code RoundWorkers}; joined before the
 * run returns), which is deterministic: the result does not depend on the thread count.
 *
 * <p><b>Thread safety.</b> Stateless; concurrent runs are independent.
 */
public final class SynchronousBp implements BpEngine {
    /*
     * Algorithm: loopy BP with the flooding schedule of Pearl [1] as used by Murphy, Weiss and Jordan [2]. Old
     * messages live in the store, new ones in a second array of the same layout; after a round the arrays are
     * copied (the store is the only source every compute() reads, so a round is a pure function of the previous
     * one). The round's maximum change is the residual of every message at the old state, which is why stopping
     * before applying a converged round reports honest residuals.
     *
     * [1] J. Pearl, "Probabilistic Reasoning in Intelligent Systems", Morgan Kaufmann, 1988.
     * [2] K. Murphy, Y. Weiss, M. Jordan, "Loopy Belief Propagation for Approximate Inference: An Empirical
     *     Study", UAI 1999.
     */

    @Override
    public String name() {
        return "sync";
    }

    @Override
    public BpResult run(FactorGraph g, BpOptions o) {
        long t0 = System.nanoTime();
        MessageStore st = new MessageStore(g, false);
        int edges = st.edges;
        double[] next = new double[st.msg.length];
        long updates = 0;
        double maxRes = Double.POSITIVE_INFINITY;
        boolean converged = false;
        try (RoundWorkers team = team(o.threads(), edges)) {
            while (updates + edges <= o.maxUpdates()) {
                double r = round(st, next, o.damping(), team);
                updates += edges;
                if (r <= o.epsilon()) {
                    maxRes = r;
                    converged = true;
                    break;
                }
                if (st.sawZeroMessage()) {
                    break; // no marginals exist; st.marginals() below says why
                }
                System.arraycopy(next, 0, st.msg, 0, next.length);
            }
        }
        if (!converged) {
            maxRes = st.maxResidual(o.damping());
            converged = maxRes <= o.epsilon();
        }
        return new BpResult(name(), st.marginals(), updates, System.nanoTime() - t0, converged, maxRes);
    }

    /**
     * One flooding round into {@code next}, on the caller alone ({@code team == null}) or on the team's threads
     * (contiguous edge ranges); returns its largest residual.
     */
    static double round(MessageStore st, double[] next, double damping, RoundWorkers team) {
        if (team == null) {
            return range(st, next, damping, 0, st.edges);
        }
        int threads = team.threads();
        double[] res = new double[threads];
        int n = st.edges;
        team.round(k -> res[k] = range(st, next, damping, (int) ((long) n * k / threads),
                (int) ((long) n * (k + 1) / threads)));
        double m = res[0];
        for (int k = 1; k < threads; k++) {
            m = Math.max(m, res[k]);
        }
        return m;
    }

    /** Threads for the rounds of one run over {@code edges} edges, or null when one thread is enough. */
    static RoundWorkers team(int threads, int edges) {
        int t = Math.max(1, Math.min(threads, edges / 1024 + 1));
        return t == 1 ? null : new RoundWorkers(t, "scaleml-bp-sync");
    }

    private static double range(MessageStore st, double[] next, double damping, int from, int to) {
        MessageStore.Scratch s = st.scratch();
        double m = 0;
        for (int e = from; e < to; e++) {
            double r = st.residual(e, s, damping);
            m = Math.max(m, r);
            System.arraycopy(s.out, 0, next, st.msgOff[e], st.card(e));
        }
        return m;
    }
}
