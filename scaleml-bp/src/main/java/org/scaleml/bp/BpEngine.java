package org.scaleml.bp;

/**
 * A belief-propagation engine: sum-product message passing on a {@link FactorGraph} with some schedule, stopping
 * when every message residual is at most {@link BpOptions#epsilon()} or at {@link BpOptions#maxUpdates()}.
 * Engines are stateless; runs are independent.
 */
public interface BpEngine {
    /** The engine's name as the command line spells it. */
    String name();

    /**
     * Runs BP on {@code g}.
     *
     * @throws ZeroProbabilityException if a message turned 0 for every value during the run (the model, with its
     *                                  evidence, gives every assignment probability zero); never a result with
     *                                  marginals that contradict the model
     */
    BpResult run(FactorGraph g, BpOptions options);
}
