package org.scaleml.bp.engine;

import org.scaleml.bp.BpEngine;
import org.scaleml.bp.BpOptions;
import org.scaleml.bp.BpResult;
import org.scaleml.bp.FactorGraph;
import org.scaleml.concurrent.heap.IndexedMaxHeap;

/**
 * Residual BP with an exact priority queue, engine name {@code residual}: always applies the message whose
 * residual is largest. Sequential (one thread, whatever {@code threads} says).
 *
 * <p><b>Contract.</b> Updates count applied factor-to-variable messages (the look-ahead computations that keep
 * residuals current are not counted). Converges when the largest residual is at most epsilon; residuals are
 * kept exact, so the reported {@code maxResidual} is the heap's top key, i.e. the true largest residual of the
 * returned messages. Stops unconverged after {@code maxUpdates} applied messages.
 *
 * <p><b>Thread safety.</b> Stateless; concurrent runs are independent.
 */
public final class ResidualBp implements BpEngine {
    /*
     * Algorithm: residual belief propagation of Elidan, McGraw and Koller [1]. Every edge e keeps its pending
     * message (computed from the current state, damped) and its residual, the max abs difference between pending
     * and current. An indexed max-heap orders edges by residual. Step: take the top edge f->v, copy its pending
     * message into the store (its residual becomes 0: its own inputs did not change), then for every dependent
     * edge h->u (h another factor of v, u another variable of h) recompute the pending message and residual and
     * fix its heap position. Invariant: after each step every edge's pending message and residual are exact for
     * the current state, because a message depends only on the messages into the other variables of its factor.
     *
     * [1] G. Elidan, I. McGraw, D. Koller, "Residual Belief Propagation: Informed Scheduling for Asynchronous
     *     Message Passing", UAI 2006.
     */

    @Override
    public String name() {
        return "residual";
    }

    @Override
    public BpResult run(FactorGraph g, BpOptions o) {
        long t0 = System.nanoTime();
        MessageStore st = new MessageStore(g, false);
        int edges = st.edges;
        double[] pending = new double[st.msg.length];
        double[] res = new double[edges];
        MessageStore.Scratch s = st.scratch();
        double damping = o.damping();
        for (int e = 0; e < edges; e++) {
            res[e] = st.residual(e, s, damping);
            System.arraycopy(s.out, 0, pending, st.msgOff[e], st.card(e));
        }
        IndexedMaxHeap heap = new IndexedMaxHeap(edges);
        heap.setAll(res);
        long updates = 0;
        double eps = o.epsilon();
        while (heap.topKey() > eps && updates < o.maxUpdates()) {
            int e = heap.top();
            System.arraycopy(pending, st.msgOff[e], st.msg, st.msgOff[e], st.card(e));
            heap.update(e, 0);
            updates++;
            st.forEachDependent(e, d -> {
                double r = st.residual(d, s, damping);
                System.arraycopy(s.out, 0, pending, st.msgOff[d], st.card(d));
                heap.update(d, r);
            });
            if (damping > 0) { // with damping the applied edge's own new value moves again
                double r = st.residual(e, s, damping);
                System.arraycopy(s.out, 0, pending, st.msgOff[e], st.card(e));
                heap.update(e, r);
            }
        }
        double maxRes = heap.topKey();
        return new BpResult(name(), st.marginals(), updates, System.nanoTime() - t0, maxRes <= eps, maxRes);
    }
}
