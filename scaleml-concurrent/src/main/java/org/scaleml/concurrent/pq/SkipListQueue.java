package org.scaleml.concurrent.pq;

import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Exact baseline: a priority queue on the JDK's lock-free {@link ConcurrentSkipListMap}.
 *
 * <p>Keys are {@code (priority, sequence)} pairs so that equal priorities are distinct entries; the sequence
 * comes from one shared counter, which makes equal priorities come out in insertion order. Delete-min is
 * {@link ConcurrentSkipListMap#pollFirstEntry()}, which is linearizable. Allocates a key and a map node per
 * element; lock-free.
 */
final class SkipListQueue extends JdkAdapterQueue {
    private final ConcurrentSkipListMap<Key, Long> map = new ConcurrentSkipListMap<>();
    private final AtomicLong sequence = new AtomicLong();

    private static final class Key implements Comparable<Key> {
        final long priority;
        final long seq;

        Key(long priority, long seq) {
            this.priority = priority;
            this.seq = seq;
        }

        @Override
        public int compareTo(Key o) {
            int c = Long.compare(priority, o.priority);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key && ((Key) o).priority == priority && ((Key) o).seq == seq;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(priority) * 31 + Long.hashCode(seq);
        }
    }

    SkipListQueue() {
        super("skiplist");
    }

    @Override
    public long size() {
        return map.size();
    }

    @Override
    void add(long priority, long payload) {
        map.put(new Key(priority, sequence.getAndIncrement()), payload);
    }

    @Override
    boolean pollInto(AbstractHandle h) {
        Map.Entry<Key, Long> e = map.pollFirstEntry();
        if (e == null) {
            return false;
        }
        h.priority = e.getKey().priority;
        h.payload = e.getValue();
        return true;
    }
}
