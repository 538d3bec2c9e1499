package org.scaleml.concurrent.pq;

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
            heap.lock();
            try {
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
