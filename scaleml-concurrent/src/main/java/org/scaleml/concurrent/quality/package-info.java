/**
 * Measuring how relaxed a relaxed structure really was.
 *
 * <p>Two methods, for two needs:
 * <ul>
 *   <li>{@link org.scaleml.concurrent.quality.RankReplay}: exact. Wrap a queue in
 *       {@link org.scaleml.concurrent.quality.InstrumentedQueue}, run, then replay the
 *       {@link org.scaleml.concurrent.quality.OperationLog} sequentially. Gives rank error and delay of every
 *       deletion; the shared ticket that orders the log slows the run, so throughput is measured separately.</li>
 *   <li>{@link org.scaleml.concurrent.quality.ConcurrentRankSampler}: sampled under real concurrency with
 *       per-thread counters and no shared ticket; approximate by the number of operations in flight.</li>
 * </ul>
 * Both report a {@link org.scaleml.concurrent.quality.RelaxationReport}. Definitions: the rank error of a
 * deletion is the number of strictly smaller priorities present; the delay of an element is the number of
 * deletions of strictly larger priorities while it was present.
 */
package org.scaleml.concurrent.quality;
