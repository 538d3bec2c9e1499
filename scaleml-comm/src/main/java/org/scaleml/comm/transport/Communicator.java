package org.scaleml.comm.transport;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A rank's view of a job for collectives: its {@link Transport}, the sequence of tag blocks that keeps
 * successive collective calls apart, and byte counters.
 *
 * <p>Collectives (package {@code org.scaleml.comm.collective}) are written once against this class and run on
 * any transport. Every rank must call the same collectives in the same order (as in MPI); each call takes one
 * {@link #newTagBlock() tag block} of {@value #TAGS_PER_BLOCK} tags, so frames of different calls never mix,
 * and a frame of an unfinished call can never be mistaken for one of a later call.
 *
 * <p>Not thread-safe: one thread per rank runs the collectives (the transport itself is thread-safe).
 */
public final class Communicator implements AutoCloseable {
    /** Tags in one block. */
    public static final int TAGS_PER_BLOCK = 1 << 12;

    private final Transport transport;
    private long nextBlock;
    private final AtomicLong bytesSent = new AtomicLong();
    private final AtomicLong bytesReceived = new AtomicLong();

    public Communicator(Transport transport) {
        this.transport = transport;
    }

    public int rank() {
        return transport.rank();
    }

    public int size() {
        return transport.size();
    }

    public Transport transport() {
        return transport;
    }

    /**
     * The first tag of a fresh block of {@value #TAGS_PER_BLOCK} tags for one collective call. Blocks cycle
     * through the non-negative ints (524,288 blocks), far more calls than can be in flight at once.
     */
    public int newTagBlock() {
        long b = nextBlock++;
        return (int) ((b % (Integer.MAX_VALUE / TAGS_PER_BLOCK)) * TAGS_PER_BLOCK);
    }

    /** Sends a frame and counts its bytes. */
    public void send(int to, int tag, byte[] buf, int off, int len) {
        transport.send(to, tag, buf, off, len);
        bytesSent.addAndGet(len);
    }

    /** Sends a whole array and counts its bytes. */
    public void send(int to, int tag, byte[] buf) {
        send(to, tag, buf, 0, buf.length);
    }

    /** Receives a frame with the transport's time limit and counts its bytes. */
    public byte[] receive(int from, int tag) {
        byte[] b = transport.receive(from, tag);
        bytesReceived.addAndGet(b.length);
        return b;
    }

    /** Receives a frame within {@code timeoutNanos} and counts its bytes. */
    public byte[] receive(int from, int tag, long timeoutNanos) {
        byte[] b = transport.receive(from, tag, timeoutNanos);
        bytesReceived.addAndGet(b.length);
        return b;
    }

    /** Payload bytes this rank has sent (frame headers of the transport not included). */
    public long bytesSent() {
        return bytesSent.get();
    }

    /** Payload bytes this rank has received. */
    public long bytesReceived() {
        return bytesReceived.get();
    }

    /** Resets both byte counters. */
    public void resetCounters() {
        bytesSent.set(0);
        bytesReceived.set(0);
    }

    @Override
    public void close() {
        transport.close();
    }
}
