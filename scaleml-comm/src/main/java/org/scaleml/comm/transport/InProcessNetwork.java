package org.scaleml.comm.transport;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * A job of {@code size} ranks inside one JVM, for tests and simulations: each rank's {@link Transport} is
 * {@link #endpoint(int)}, used by its own thread(s). Delivery is exact and in order; with a bandwidth and latency
 * set, each rank's outgoing link (one per rank, full duplex, shared by all its destinations) serializes its frames
 * at that bandwidth and a frame becomes visible to its receiver {@code latency} after its last byte left, so
 * collectives see the cost of the bytes they move. Senders never block (buffering is unbounded; collectives are
 * lock-step, so what is buffered is bounded by one step's messages).
 *
 * <p>{@link #kill(int)} simulates the death of a rank: every other endpoint sees {@link PeerFailedException} for
 * it. Thread-safe.
 */
public final class InProcessNetwork {
    /** Default frame limit: 256 MiB. */
    public static final int DEFAULT_MAX_FRAME = 256 << 20;
    /** Default time limit of blocking calls: 10 s. */
    public static final long DEFAULT_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final int size;
    private final double nanosPerByte;
    private final long latencyNanos;
    private final long timeoutNanos;
    private final int maxFrame;
    private final Mailbox[] boxes;
    private final long[] egressFree; // per sender: when its link is free again (guarded by the array)
    private final Endpoint[] endpoints;

    /** An ideal network: no bandwidth limit, no latency, default limits. */
    public InProcessNetwork(int size) {
        this(size, 0, 0, DEFAULT_TIMEOUT_NANOS, DEFAULT_MAX_FRAME);
    }

    /**
     * A simulated network.
     *
     * @param size            number of ranks, at least 1
     * @param bytesPerSecond  bandwidth of each rank's outgoing link, 0 for unlimited
     * @param latencyNanos    delay from a frame's last byte leaving to its arrival, at least 0
     * @param timeoutNanos    time limit of blocking calls, positive
     * @param maxFrameBytes   largest frame, positive
     */
    public InProcessNetwork(int size, double bytesPerSecond, long latencyNanos, long timeoutNanos, int maxFrameBytes) {
        if (size < 1 || bytesPerSecond < 0 || latencyNanos < 0 || timeoutNanos <= 0 || maxFrameBytes <= 0) {
            throw new IllegalArgumentException("invalid network: size " + size + ", bandwidth " + bytesPerSecond
                    + ", latency " + latencyNanos + ", timeout " + timeoutNanos + ", max frame " + maxFrameBytes);
        }
        this.size = size;
        this.nanosPerByte = bytesPerSecond == 0 ? 0 : 1e9 / bytesPerSecond;
        this.latencyNanos = latencyNanos;
        this.timeoutNanos = timeoutNanos;
        this.maxFrame = maxFrameBytes;
        this.boxes = new Mailbox[size];
        this.egressFree = new long[size];
        this.endpoints = new Endpoint[size];
        for (int r = 0; r < size; r++) {
            boxes[r] = new Mailbox(r, size);
            endpoints[r] = new Endpoint(r);
        }
        Arrays.fill(egressFree, Long.MIN_VALUE);
    }

    /** Number of ranks. */
    public int size() {
        return size;
    }

    /** The transport of rank {@code rank}. */
    public Transport endpoint(int rank) {
        return endpoints[rank];
    }

    /** Simulates the death of {@code rank}: every other rank sees it failed; its own calls fail too. */
    public void kill(int rank) {
        for (int r = 0; r < size; r++) {
            boxes[r].fail(rank, "killed");
        }
        boxes[rank].close("killed");
    }

    private final class Endpoint implements Transport {
        private final int rank;
        private volatile boolean closed;

        Endpoint(int rank) {
            this.rank = rank;
        }

        @Override
        public int rank() {
            return rank;
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public int maxFrameBytes() {
            return maxFrame;
        }

        @Override
        public long timeoutNanos() {
            return timeoutNanos;
        }

        @Override
        public void send(int to, int tag, byte[] buf, int off, int len) {
            if (to < 0 || to >= size) {
                throw new IllegalArgumentException("rank " + rank + ": no rank " + to + " in a job of " + size);
            }
            if (len < 0 || len > maxFrame) {
                throw new IllegalArgumentException("rank " + rank + ": frame of " + len + " bytes exceeds the limit of "
                        + maxFrame);
            }
            if (closed) {
                throw new CommException("rank " + rank + ": endpoint closed");
            }
            String dead = boxes[rank].failure(to);
            if (dead != null) {
                throw new PeerFailedException(to, "rank " + rank + ": peer " + to + " failed: " + dead);
            }
            byte[] copy = Arrays.copyOfRange(buf, off, off + len);
            long visible = Long.MIN_VALUE;
            if (nanosPerByte > 0 || latencyNanos > 0) {
                long now = System.nanoTime();
                long done;
                synchronized (egressFree) {
                    long start = Math.max(now, egressFree[rank]);
                    done = start + (long) (len * nanosPerByte);
                    egressFree[rank] = done;
                }
                visible = done + latencyNanos;
            }
            boxes[to].deliver(rank, tag, copy, visible);
        }

        @Override
        public byte[] receive(int from, int tag, long timeout) {
            if (from < 0 || from >= size) {
                throw new IllegalArgumentException("rank " + rank + ": no rank " + from + " in a job of " + size);
            }
            return boxes[rank].take(from, tag, timeout);
        }

        @Override
        public void abort(String reason) {
            for (int r = 0; r < size; r++) {
                if (r != rank) {
                    boxes[r].fail(rank, "aborted: " + reason);
                }
            }
        }

        @Override
        public void close() {
            closed = true;
            boxes[rank].close("closed");
        }
    }
}
