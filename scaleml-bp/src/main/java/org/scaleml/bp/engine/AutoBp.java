package org.scaleml.bp.engine;

import java.util.ArrayList;
import java.util.List;

import org.scaleml.bp.BpEngine;
import org.scaleml.bp.BpOptions;
import org.scaleml.bp.BpResult;
import org.scaleml.bp.FactorGraph;

/**
 * The default engine, name {@code auto}: synchronous rounds while they contract fast, then relaxed splash from
 * where they stopped. Meant for users who do not know which schedule suits their model.
 *
 * <p><b>Rule.</b> Run synchronous (flooding) rounds on the run's threads. Stop with converged = true as soon as a
 * round's largest residual is at most epsilon (as {@code sync} would). After round {@value #WINDOW} and every
 * round after it, compare the largest residual with the one {@value #WINDOW} rounds earlier: if it has not fallen
 * by at least a factor {@value #CONTRACTION} (flooding has stalled or oscillates, as on frustrated grids), or if
 * the rounds have spent {@value #SYNC_SHARE_PERCENT}% of the update budget, switch to {@code relaxed-splash}
 * starting from the current messages. The result's {@code engines} names the engines that ran ({@code [sync]} or
 * {@code [sync, relaxed-splash]}), {@code updates} counts both stages, and converged and maxResidual come from the
 * final exact sweep as for the other engines.
 *
 * <p>Why: flooding rounds are the cheapest updates there are (no queue, sequential memory access, perfectly
 * parallel) and win outright on models where BP contracts quickly; where it does not, a residual-ordered schedule
 * needs far fewer updates, and relaxed splash is the fastest such engine on two or more threads. A few wasted
 * rounds cost little: each is one pass over the messages.
 *
 * <p><b>Thread safety.</b> Stateless; concurrent runs are independent.
 */
public final class AutoBp implements BpEngine {
    /** Rounds between the two residuals compared. */
    static final int WINDOW = 4;
    /** Required fall of the largest residual over {@link #WINDOW} rounds to keep flooding. */
    static final double CONTRACTION = 2.0;
    /** Largest share of the update budget the synchronous stage may take. */
    static final int SYNC_SHARE_PERCENT = 25;

    @Override
    public String name() {
        return "auto";
    }

    @Override
    public BpResult run(FactorGraph g, BpOptions o) {
        long t0 = System.nanoTime();
        MessageStore st = new MessageStore(g, true);
        int edges = st.edges;
        double[] next = new double[st.msg.length];
        List<Double> history = new ArrayList<>();
        long updates = 0;
        long syncBudget = o.maxUpdates() / 100 * SYNC_SHARE_PERCENT;
        try (RoundWorkers team = SynchronousBp.team(o.threads(), edges)) {
            while (edges > 0 && updates + edges <= syncBudget) {
                double r = SynchronousBp.round(st, next, o.damping(), team);
                updates += edges;
                if (r <= o.epsilon()) { // converged: this round is not applied, as in sync
                    return new BpResult(name(), st.marginals(), updates, System.nanoTime() - t0, true, r,
                            List.of("sync"), java.util.Map.of());
                }
                if (st.sawZeroMessage()) {
                    break; // no marginals exist; the next stage's marginals() says why
                }
                System.arraycopy(next, 0, st.msg, 0, next.length);
                history.add(r);
                int k = history.size();
                if (k > WINDOW && !(r * CONTRACTION <= history.get(k - 1 - WINDOW))) {
                    break;
                }
            }
        }
        return new RelaxedSplashBp().run(st, o, t0, updates, name(),
                updates == 0 ? List.of("relaxed-splash") : List.of("sync", "relaxed-splash"));
    }
}
