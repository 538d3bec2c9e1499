package org.scaleml.bp.engine;

/**
 * Relaxed residual BP on the stealing MultiQueue ({@code smq}) with lazy priority updates, engine name
 * {@code smq-residual}: a queued edge is re-pushed only when its residual more than doubles (or when no task for
 * it is queued, i.e. it crossed epsilon), instead of on every increase. Everything else (contract, convergence
 * rule, thread safety) is that of {@link RelaxedResidualBp}.
 */
public final class SmqResidualBp extends RelaxedResidualBp {
    /*
     * Lazy updates after Bassi, Posluns and Jeffrey (PGM 2026): most residual increases are small, and a queued
     * task recomputes its message from the current state anyway, so re-inserting it only pays when its priority
     * would move far. Factor 2 bounds the priority error of a queued task to one binary order of magnitude of
     * the residual while cutting the pushes (and the stale tasks they create) sharply.
     */

    /** Growth factor that triggers a re-push. */
    public static final double GROWTH = 2.0;

    public SmqResidualBp() {
        super("smq-residual", "smq", GROWTH);
    }
}
