/**
 * Sum-product belief-propagation engines on {@link org.scaleml.bp.FactorGraph}s, created by name with
 * {@link org.scaleml.bp.engine.BpEngines}: {@code sync} (flooding), {@code residual} (exact residual BP),
 * {@code splash} (residual splash), {@code relaxed-residual} (residual BP on the relaxed scheduler over the
 * MultiQueue with temporal locality, each edge pushed once per activation) and {@code smq-residual} (on the
 * stealing MultiQueue with lazy priority updates).
 *
 * <p>Choices shared by every engine:
 * <ul>
 *   <li><b>Domain.</b> Linear domain; each factor-to-variable message is normalized to sum 1; variable-to-factor
 *       messages are not stored but recomputed as products of the other incoming messages. Messages start
 *       uniform. The messages into one variable are stored contiguously, so such a product reads one or two
 *       cache lines; pairwise factors take a packed fast path that computes bit for bit what the generic path
 *       does.</li>
 *   <li><b>Residual and convergence.</b> The residual of a message is the max abs difference between the new
 *       normalized (and damped) message computed from the current state and the stored one. A run converges when
 *       no residual exceeds epsilon; the reported {@code maxResidual} is always measured on the returned
 *       messages (exactly maintained by the sequential engines, by a final sequential sweep in the parallel ones).
 *       </li>
 *   <li><b>Updates.</b> The unit of work is one applied factor-to-variable message; a factor update (splash)
 *       counts its scope size; a synchronous round counts every edge. Residual look-ahead computations are not
 *       counted.</li>
 *   <li><b>Marginals.</b> Normalized products of the incoming messages of each variable.</li>
 * </ul>
 */
package org.scaleml.bp.engine;
