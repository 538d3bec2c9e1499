package org.scaleml.comm.transport;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The receiving side of a transport endpoint: frames that arrived, queued per (sender, tag) in arrival order,
 * each visible from a time on (a simulated network delays visibility); and the peers known to have failed.
 * {@link #take} waits for a frame, a failure of its sender, the endpoint's close, or the time limit, whichever
 * comes first. Thread-safe: transports deliver from their reader threads, any thread may take.
 */
public final class Mailbox {
    private static final class Frame {
        final byte[] data;
        final long visibleAt;

        Frame(byte[] data, long visibleAt) {
            this.data = data;
            this.visibleAt = visibleAt;
        }
    }

    private final int rank;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<Long, ArrayDeque<Frame>> queues = new HashMap<>();
    private final String[] failed;
    private String closed;

    /** A mailbox of rank {@code rank} in a job of {@code size} ranks. */
    public Mailbox(int rank, int size) {
        this.rank = rank;
        this.failed = new String[size];
    }

    private static long key(int from, int tag) {
        return ((long) from << 32) | (tag & 0xFFFF_FFFFL);
    }

    /** Queues a frame from {@code from} with {@code tag}, visible at once. */
    public void deliver(int from, int tag, byte[] frame) {
        deliver(from, tag, frame, Long.MIN_VALUE);
    }

    /** Queues a frame that becomes visible at {@code visibleAtNanos} ({@link System#nanoTime()} scale). */
    public void deliver(int from, int tag, byte[] frame, long visibleAtNanos) {
        lock.lock();
        try {
            queues.computeIfAbsent(key(from, tag), k -> new ArrayDeque<>()).add(new Frame(frame, visibleAtNanos));
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Records that {@code peer} failed; frames it sent before stay receivable. Keeps the first reason. */
    public void fail(int peer, String reason) {
        lock.lock();
        try {
            if (failed[peer] == null) {
                failed[peer] = reason;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The failure reason recorded for {@code peer}, or null if it is not known to have failed. */
    public String failure(int peer) {
        lock.lock();
        try {
            return failed[peer];
        } finally {
            lock.unlock();
        }
    }

    /** Wakes every waiter with a closed-endpoint error. */
    public void close(String reason) {
        lock.lock();
        try {
            if (closed == null) {
                closed = reason;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes the oldest visible frame from {@code from} with {@code tag}.
     *
     * @throws CommTimeoutException if none is visible within {@code timeoutNanos}
     * @throws PeerFailedException  if {@code from} failed and no frame of it is left with this tag
     * @throws CommException        if the endpoint was closed
     */
    public byte[] take(int from, int tag, long timeoutNanos) {
        final long deadline = System.nanoTime() + timeoutNanos;
        final long k = key(from, tag);
        lock.lock();
        try {
            while (true) {
                if (closed != null) {
                    throw new CommException("rank " + rank + ": endpoint closed (" + closed + ")");
                }
                ArrayDeque<Frame> q = queues.get(k);
                long now = System.nanoTime();
                long wait = deadline - now;
                if (q != null && !q.isEmpty()) {
                    Frame f = q.peekFirst();
                    if (f.visibleAt <= now) {
                        q.pollFirst();
                        if (q.isEmpty()) {
                            queues.remove(k);
                        }
                        return f.data;
                    }
                    wait = Math.min(wait, f.visibleAt - now);
                } else if (failed[from] != null) {
                    throw new PeerFailedException(from, "rank " + rank + ": peer " + from + " failed: " + failed[from]);
                }
                if (deadline - now <= 0) {
                    throw new CommTimeoutException("rank " + rank + ": no frame from rank " + from + " (tag " + tag
                            + ") within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
                }
                try {
                    changed.awaitNanos(Math.max(1, wait));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CommException("rank " + rank + ": interrupted while waiting for rank " + from, e);
                }
            }
        } finally {
            lock.unlock();
        }
    }
}
