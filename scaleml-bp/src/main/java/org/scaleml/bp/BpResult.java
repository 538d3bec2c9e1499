package org.scaleml.bp;

/**
 * The outcome of a belief-propagation run.
 *
 * @param engine      the engine's name, e.g. {@code relaxed-residual}
 * @param marginals   per variable, its normalized belief (sums to 1)
 * @param updates     factor-to-variable message updates performed (the unit of work every engine counts)
 * @param nanos       wall time of the run
 * @param converged   true if the run stopped because every message residual was at most epsilon; false if it
 *                    stopped at the update cap
 * @param maxResidual the largest message residual when the run stopped (measured by one final sweep)
 */
public record BpResult(String engine, double[][] marginals, long updates, long nanos, boolean converged,
                       double maxResidual) {
    /** Wall time in milliseconds. */
    public double millis() {
        return nanos / 1e6;
    }
}
