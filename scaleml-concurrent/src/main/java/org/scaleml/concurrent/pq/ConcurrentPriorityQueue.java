package org.scaleml.concurrent.pq;

/**
 * A concurrent min-priority queue of primitive {@code (long priority, long payload)} pairs, exact or relaxed.
 *
 * <p><b>Access through handles.</b> Every thread that uses the queue first calls {@link #register()} and then
 * works through its own {@link Handle}. A handle is the place where a queue keeps per-thread state (random
 * generator, sticky queue choice, insertion and deletion buffers, the thread's own heap in a stealing queue), so
 * the hot path allocates nothing and shares nothing it need not share. A handle must be used by one thread at a
 * time; the queue itself is safe for any number of handles used concurrently.
 *
 * <p><b>Order.</b> Smaller {@code priority} values come out first. An <em>exact</em> queue ({@link #isRelaxed()}
 * false) is linearizable: {@link Handle#tryDeleteMin()} removes an element of minimal priority at its
 * linearization point. A <em>relaxed</em> queue may return an element that is not minimal; how far from minimal
 * it was (its rank error) is what {@link org.scaleml.concurrent.quality} measures. Equal priorities come out in
 * no particular order.
 *
 * <p><b>No loss, no duplication.</b> Every inserted element is returned by exactly one successful
 * {@code tryDeleteMin}, on some handle, provided every handle is eventually {@linkplain Handle#flush() flushed}
 * or {@linkplain Handle#close() closed}. This holds for every implementation, relaxed or not.
 *
 * <p><b>When "empty" may be reported although elements exist.</b> For an exact queue, {@code tryDeleteMin}
 * returns {@code false} only if the queue was empty at its linearization point. For a relaxed queue it returns
 * {@code false} only if (a) the calling handle's own buffers were empty and (b) every internal heap was observed
 * empty at some moment during the call. Therefore a relaxed queue can report empty while (i) another thread's
 * concurrent insert has not yet completed, (ii) elements sit in another handle's insertion buffer that has not
 * been flushed, (iii) elements sit in another handle's deletion buffer, or (iv) a concurrent operation moved
 * an element from a heap not yet scanned to one already scanned. When the queue is quiescent (no operation in
 * progress) and every other handle has been flushed, {@code tryDeleteMin} never reports empty while elements
 * exist.
 *
 * <p><b>Memory consistency.</b> Actions in a thread before inserting an element happen-before actions after the
 * element is returned by {@code tryDeleteMin} in another thread.
 *
 * <p><b>Null policy and bounds.</b> Priorities and payloads are arbitrary {@code long}s, including
 * {@link Long#MAX_VALUE}; there are no nulls.
 */
public interface ConcurrentPriorityQueue {

    /** A short stable name of the implementation and its parameters, e.g. {@code "mq(c=2,d=4)"}. */
    String name();

    /** Whether this queue may return elements out of priority order. */
    boolean isRelaxed();

    /**
     * Creates a handle for the calling thread. Handles are cheap; a queue sized for {@code T} threads works
     * best with at most {@code T} handles in use at once, but accepts more (they then share internal heaps).
     */
    Handle register();

    /**
     * The number of elements held, including those in handles' buffers. Exact only when the queue is
     * quiescent; a snapshot-free estimate otherwise. Not for hot paths: it may visit every internal heap.
     */
    long size();

    /** A thread's access point to the queue. Not thread-safe: one thread at a time. */
    interface Handle extends AutoCloseable {

        /** Inserts an element. Never fails for lack of capacity (heaps grow; memory permitting). */
        void insert(long priority, long payload);

        /**
         * Tries to remove an element of (near-)minimal priority. On success returns {@code true} and the element
         * can be read with {@link #priority()} and {@link #payload()} until the next call on this handle.
         * See the interface documentation for exactly when {@code false} is returned.
         */
        boolean tryDeleteMin();

        /**
         * Inserts {@code count} elements, then tries to remove one, as {@code insert} for each
         * {@code (pairs[2i], pairs[2i+1])}, {@code i < count}, followed by {@link #tryDeleteMin()}, and with the same
         * result and guarantees. Queues that lock per operation override it to do all of it under one lock: a
         * scheduler collects the tasks a task body pushes and hands them over here together with its next poll, so
         * a task costs one synchronized queue operation instead of one per child plus one. The array is only read.
         *
         * @throws IndexOutOfBoundsException if {@code pairs} holds fewer than {@code 2 * count} values
         */
        default boolean insertAllThenDeleteMin(long[] pairs, int count) {
            for (int i = 0; i < count; i++) {
                insert(pairs[2 * i], pairs[2 * i + 1]);
            }
            return tryDeleteMin();
        }

        /**
         * Batches of elements this handle has taken from other threads' parts of the queue so far (stealing
         * queues), or {@code -1} if the queue has no such notion. Read by the handle's own thread or after a
         * happens-before edge with it (e.g. a join).
         */
        default long steals() {
            return -1;
        }

        /** Priority of the element removed by the last successful {@link #tryDeleteMin()}. */
        long priority();

        /** Payload of the element removed by the last successful {@link #tryDeleteMin()}. */
        long payload();

        /**
         * Makes every element this handle buffers visible to other handles: pending insertions go into the shared
         * heaps and elements taken into a deletion buffer but not yet returned go back. A no-op for queues
         * without buffers.
         */
        void flush();

        /** Flushes; the handle must not be used afterwards. */
        @Override
        void close();
    }
}
