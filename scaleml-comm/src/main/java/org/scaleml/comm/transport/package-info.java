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
 *
 * <h2>Security of the TCP transport</h2>
 * What {@link org.scaleml.comm.transport.TcpTransport} protects against:
 * <ul>
 *   <li><b>Unauthenticated peers.</b> No frame is read before a mutual HMAC-SHA256 challenge-response with the
 *       job's shared secret over fresh nonces ({@link org.scaleml.comm.transport.PeerAuth}); wrong secrets, other
 *       jobs, protocol versions or integrity modes are refused, and listeners bind to the given (loopback by
 *       default) addresses.</li>
 *   <li><b>Forged, corrupted, replayed, reordered or dropped frames</b> after the handshake: with the default
 *       integrity mode {@code MAC} every frame carries a 16-byte HMAC-SHA256 tag under a per-connection,
 *       per-direction session key over a frame counter; a frame that fails the check is never delivered and fails
 *       its peer. {@code CRC32C} detects accidents only; {@code NONE} relies on TCP's checksum.</li>
 *   <li><b>Idle, garbage or slow connections</b> during setup: handshakes are bounded in time and served
 *       concurrently, so they cannot keep the real peers out; lengths are checked before allocation.</li>
 *   <li><b>Hung peers</b>: heartbeats and the liveness timeout report a peer that stops responding with its
 *       connection open; dead processes are seen at once (their kernel closes the connection).</li>
 * </ul>
 * What it does not protect against: <b>eavesdropping</b> (frames, gradients and models included, cross the network
 * in clear text: there is no encryption and no TLS option), traffic analysis, and denial of service by anyone who
 * can cut or flood the network. Run jobs on a private network, or tunnel them (SSH port forwarding, WireGuard).
 * A rank that knows the secret is trusted completely. The cost of {@code MAC} is measured in
 * {@code docs/BENCHMARKS.md} ("TCP frame integrity cost"); see also {@code docs/SECURITY.md}.
 */
package org.scaleml.comm.transport;
