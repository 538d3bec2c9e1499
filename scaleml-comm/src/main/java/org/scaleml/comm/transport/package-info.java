/**
 * Transports and the communicator: tagged, ordered frames between the ranks of a job, in one JVM
 * ({@link org.scaleml.comm.transport.InProcessNetwork}) or across processes over TCP.
 *
 * <p>Design choices that hold across the package: every blocking call has a time limit and throws
 * {@link org.scaleml.comm.transport.CommTimeoutException} instead of hanging; a dead or aborting peer surfaces as
 * {@link org.scaleml.comm.transport.PeerFailedException} on every rank that talks to it; frame sizes are checked
 * against a limit before anything is allocated; frames are demultiplexed per (sender, tag) by a
 * {@link org.scaleml.comm.transport.Mailbox}, so collectives written against
 * {@link org.scaleml.comm.transport.Communicator} run unchanged on every transport.
 */
package org.scaleml.comm.transport;
