package org.scaleml.comm.transport;

/**
 * Moves frames between the ranks {@code 0 .. size-1} of one job: point-to-point, tagged, in order per
 * (sender, tag). Two implementations: {@link InProcessNetwork} (threads of one JVM; deterministic delivery,
 * optional simulated bandwidth and latency) and {@code TcpTransport} (JVM processes over TCP, authenticated).
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Frames.</b> A frame is a byte array of at most {@link #maxFrameBytes()} bytes and an {@code int} tag.
 *       {@link #send} copies the bytes before it returns (the caller may reuse its buffer). {@link #receive}
 *       returns the oldest frame from {@code from} with {@code tag} that this rank has not received yet; frames
 *       of one (sender, tag) pair arrive in the order they were sent. Sending to oneself is allowed.</li>
 *   <li><b>Blocking and time limits.</b> {@code receive} waits at most its timeout and then throws
 *       {@link CommTimeoutException}; {@code send} may block while the link is busy (bounded buffering) but never
 *       longer than {@link #timeoutNanos()}. No call waits forever.</li>
 *   <li><b>Failures.</b> When a peer is found dead (its connection closed or reset, or it sent an abort),
 *       every pending and later {@code receive} from it, and every {@code send} to it, throws
 *       {@link PeerFailedException} naming the peer; {@link #abort} tells every live peer that this rank
 *       gives up, so that a failure anywhere surfaces everywhere without waiting for time limits.</li>
 *   <li><b>Threads.</b> {@code send} and {@code receive} may be called from several threads; frames with
 *       different tags are independent. {@link #close} releases sockets and threads; afterwards every call
 *       throws {@link CommException}.</li>
 * </ul>
 */
public interface Transport extends AutoCloseable {

    /** This endpoint's rank. */
    int rank();

    /** Number of ranks in the job. */
    int size();

    /** Largest frame this transport accepts, in bytes; checked before any allocation. */
    int maxFrameBytes();

    /** The default time limit of blocking calls, in nanoseconds. */
    long timeoutNanos();

    /**
     * Sends {@code buf[off, off + len)} with {@code tag} to rank {@code to}.
     *
     * @throws PeerFailedException    if {@code to} is known dead
     * @throws CommTimeoutException   if the link stayed busy past the time limit
     * @throws IllegalArgumentException if {@code to} is out of range or {@code len} exceeds the frame limit
     */
    void send(int to, int tag, byte[] buf, int off, int len);

    /** {@link #send(int, int, byte[], int, int)} of a whole array. */
    default void send(int to, int tag, byte[] buf) {
        send(to, tag, buf, 0, buf.length);
    }

    /**
     * Receives the next frame from rank {@code from} with {@code tag}, waiting at most {@code timeoutNanos}.
     *
     * @return the frame's bytes (a new array owned by the caller)
     * @throws CommTimeoutException if no such frame arrived in time
     * @throws PeerFailedException  if {@code from} died or aborted before a frame arrived
     */
    byte[] receive(int from, int tag, long timeoutNanos);

    /** {@link #receive(int, int, long)} with the transport's default time limit. */
    default byte[] receive(int from, int tag) {
        return receive(from, tag, timeoutNanos());
    }

    /**
     * Tells every live peer that this rank gives up (best effort, never blocks longer than a short time), so
     * their pending and later calls involving this rank fail at once with {@link PeerFailedException}.
     */
    void abort(String reason);

    /** Closes the endpoint; idempotent. */
    @Override
    void close();
}
