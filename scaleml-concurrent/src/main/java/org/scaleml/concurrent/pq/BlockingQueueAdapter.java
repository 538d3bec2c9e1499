package org.scaleml.concurrent.pq;

import java.util.concurrent.PriorityBlockingQueue;

/**
 * Exact baseline: an adapter over the JDK's {@link PriorityBlockingQueue} (one lock around an array binary
 * heap of objects). Linearizable; blocking. Allocates one entry object per element.
 */
final class BlockingQueueAdapter implements ConcurrentPriorityQueue {
    private final PriorityBlockingQueue<Entry> queue = new PriorityBlockingQueue<>(1024);

    private static final class Entry implements Comparable<Entry> {
        final long priority;
        final long payload;

        Entry(long priority, long payload) {
            this.priority = priority;
            this.payload = payload;
        }

        @Override
        public int compareTo(Entry o) {
            return Long.compare(priority, o.priority);
        }
    }

    @Override
    public String name() {
        return "pbq";
    }

    @Override
    public boolean isRelaxed() {
        return false;
    }

    @Override
    public long size() {
        return queue.size();
    }

    @Override
    public Handle register() {
        return new H();
    }

    private final class H extends AbstractHandle {
        @Override
        public void insert(long priority, long payload) {
            queue.add(new Entry(priority, payload));
        }

        @Override
        public boolean tryDeleteMin() {
            Entry e = queue.poll();
            if (e == null) {
                return false;
            }
            priority = e.priority;
            payload = e.payload;
            return true;
        }
    }
}
