package org.scaleml.concurrent.pq;

import java.util.concurrent.PriorityBlockingQueue;

/**
 * Exact baseline: an adapter over the JDK's {@link PriorityBlockingQueue} (one lock around an array binary
 * heap of objects). Linearizable; blocking. Allocates one entry object per element.
 */
final class BlockingQueueAdapter extends JdkAdapterQueue {
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

    BlockingQueueAdapter() {
        super("pbq");
    }

    @Override
    public long size() {
        return queue.size();
    }

    @Override
    void add(long priority, long payload) {
        queue.add(new Entry(priority, payload));
    }

    @Override
    boolean pollInto(AbstractHandle h) {
        Entry e = queue.poll();
        if (e == null) {
            return false;
        }
        h.priority = e.priority;
        h.payload = e.payload;
        return true;
    }
}
