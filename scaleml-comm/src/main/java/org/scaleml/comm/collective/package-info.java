/**
 * Collective operations for data-parallel training, written once against
 * {@link org.scaleml.comm.transport.Communicator} so that they run on every transport (in-process for tests and
 * simulations, TCP between JVMs).
 *
 * <ul>
 *   <li>{@link org.scaleml.comm.collective.Collectives}: barrier, broadcast, allgather of variable-size blocks,
 *       reduce-scatter and sum-allreduce of {@code float32} vectors, with the ring and recursive-doubling
 *       algorithms of {@link org.scaleml.comm.collective.Allreduce} and the chunking rule of
 *       {@link org.scaleml.comm.collective.Chunks}.</li>
 *   <li>{@link org.scaleml.comm.collective.CompressedAllreduce}: allreduce with a gradient codec inside the
 *       collective (CGX).</li>
 *   <li>{@link org.scaleml.comm.collective.SparseAllreduce}: allreduce of
 *       {@link org.scaleml.comm.collective.SparseVector}s with a switch to dense (SparCML).</li>
 *   <li>{@link org.scaleml.comm.collective.GossipAverager}: random pairwise averaging (SwarmSGD).</li>
 *   <li>{@link org.scaleml.comm.collective.PartialAllreduce}: solo and majority allreduce for stragglers (partial
 *       collectives).</li>
 *   <li>{@link org.scaleml.comm.collective.MeanEstimation}: distributed mean estimation through a leader, with
 *       lattice codecs decoded against each rank's own vector and step-doubling retries on a failed check
 *       (Davies et al., ICLR 2021).</li>
 * </ul>
 *
 * <p>Design choices that hold across the package:
 * <ul>
 *   <li><b>MPI-style calling.</b> Every rank calls the same collectives in the same order; each call takes one
 *       tag block of the communicator, so frames of different calls never mix. Collective objects hold their
 *       state (send buffers, codec streams) between calls and are used by one thread per rank.</li>
 *   <li><b>Identical results.</b> Every reduced value is computed by one rank, or by two partners from the same
 *       operands, and then copied: results are bitwise identical on all ranks, so replicas of a model never
 *       drift apart through rounding.</li>
 *   <li><b>Fail fast, everywhere.</b> An error inside a collective aborts the rank's transport before it
 *       propagates, so every other rank fails within moments instead of at its time limit; the exception names
 *       the collective, the rank and the cause. No call waits longer than the transport's time limit.</li>
 *   <li><b>Wire format.</b> Float data travel as little-endian {@code float32} (converted through a
 *       {@link java.lang.invoke.VarHandle} byte-array view, no per-element allocation), codec payloads in their
 *       own versioned format; messages above the transport's frame limit are split into frames. Every received
 *       frame's length and structure are checked before use.</li>
 *   <li><b>Costs stated.</b> Each class documents the steps (latency terms) and bytes each rank sends.</li>
 * </ul>
 */
package org.scaleml.comm.collective;
