package org.scaleml.concurrent.pq;

/**
 * Shared part of every handle: the slot holding the last removed element. Flush and close default to no-ops
 * for queues that buffer nothing.
 */
abstract class AbstractHandle implements ConcurrentPriorityQueue.Handle {
    /** Written by {@code tryDeleteMin} on success. */
    protected long priority;
    /** Written by {@code tryDeleteMin} on success. */
    protected long payload;

    @Override
    public final long priority() {
        return priority;
    }

    @Override
    public final long payload() {
        return payload;
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        flush();
    }
}
