package org.scaleml.concurrent.pq;

import java.util.Objects;

/**
 * Exact baseline: one d-ary heap behind one spin lock (coarse-grained locking).
 *
 * <p>Linearizable (every operation takes the single lock); blocking. Every operation serializes on one cache
 * line, which is exactly the bottleneck relaxed queues remove.
 */
final class LockedHeapQueue implements ConcurrentPriorityQueue {
    private final LockableHeap heap;

    LockedHeapQueue(int arity) {
        this.heap = new LockableHeap(arity, 1024);
    }

    @Override
    public String name() {
        return "heap";
    }

    @Override
    public boolean isRelaxed() {
        return false;
    }

    @Override
    public long size() {
        return heap.publishedSize();
    }

    @Override
    public Handle register() {
        return new H();
    }

    private static final long[] NO_PAIRS = new long[0];

    private final class H extends AbstractHandle {
        @Override
        public void insert(long priority, long payload) {
            heap.lock();
            try {
                heap.insertLocked(priority, payload);
            } finally {
                heap.unlock();
            }
        }

        @Override
        public boolean tryDeleteMin() {
            return insertAllThenDeleteMin(NO_PAIRS, 0);
        }

        @Override
        public boolean insertAllThenDeleteMin(long[] pairs, int count) {
            Objects.checkFromIndexSize(0, 2 * count, pairs.length);
            heap.lock();
            try {
                for (int i = 0; i < count; i++) {
                    heap.insertLockedNoPublish(pairs[2 * i], pairs[2 * i + 1]);
                }
                if (heap.isEmptyLocked()) {
                    return false;
                }
                priority = heap.minPriorityLocked();
                payload = heap.minPayloadLocked();
                heap.removeMinLocked();
                return true;
            } finally {
                heap.unlock();
            }
        }
    }
}
