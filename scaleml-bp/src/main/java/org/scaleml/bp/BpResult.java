package org.scaleml.bp;

import java.util.List;
import java.util.Map;
import java.util.Objects;

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
 * @param engines     the engines that ran, in order: {@code [engine]} except for {@code auto}, which names the
 *                    engines it chose (e.g. {@code [sync, relaxed-splash]})
 * @param counters    engine-specific counts, in a stable order (e.g. the relaxed engines' {@code staleTasks},
 *                    {@code requeues}, {@code priorityInversions}); empty for the exact engines
 */
public record BpResult(String engine, double[][] marginals, long updates, long nanos, boolean converged,
                       double maxResidual, List<String> engines, Map<String, Long> counters) {
    public BpResult {
        Objects.requireNonNull(engine, "engine");
        engines = List.copyOf(engines);
        counters = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(counters));
    }

    /** A run of one engine with no counters. */
    public BpResult(String engine, double[][] marginals, long updates, long nanos, boolean converged,
                    double maxResidual) {
        this(engine, marginals, updates, nanos, converged, maxResidual, List.of(engine), Map.of());
    }

    /** Wall time in milliseconds. */
    public double millis() {
        return nanos / 1e6;
    }
}
