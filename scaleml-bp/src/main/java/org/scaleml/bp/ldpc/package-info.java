/**
 * LDPC codes as an application of belief propagation: MacKay alist parity-check matrices
 * ({@link org.scaleml.bp.ldpc.AlistReader}, {@link org.scaleml.bp.ldpc.ParityCheckCode}), BPSK over AWGN
 * ({@link org.scaleml.bp.ldpc.AwgnChannel}), a specialised LLR-domain sum-product decoder
 * ({@link org.scaleml.bp.ldpc.LdpcDecoder}) and bit/frame error-rate simulation
 * ({@link org.scaleml.bp.ldpc.LdpcSimulation}), plus {@link org.scaleml.bp.ldpc.LdpcFactorGraph}, which expresses a
 * decoding problem as a generic factor graph for the BP engines.
 *
 * <p>Conventions: bits are {@code int} 0/1; LLRs are {@code log P(.|0) / P(.|1)} (positive favours 0); BPSK maps 0 to
 * +1. Codes are immutable; channels, decoders and simulations own mutable state and are used by one thread each.
 */
package org.scaleml.bp.ldpc;
