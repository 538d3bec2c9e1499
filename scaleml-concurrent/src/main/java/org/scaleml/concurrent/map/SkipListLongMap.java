package org.scaleml.concurrent.map;

import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The JDK baseline ({@code skiplist}): a {@link ConcurrentSkipListMap}{@code <Long,Long>} behind
 * {@link ConcurrentLongMap}, boxing keys and values on every call, as a Java user would write it. Thread-safe and
 * lock-free; the point operations and {@code ceiling}/{@code floor} are linearizable, as the JDK map's are; the
 * range operations use its weakly consistent sub-map views, and {@code size} its counter (JDK 9 and later).
 */
final class SkipListLongMap implements ConcurrentLongMap {
    private final ConcurrentSkipListMap<Long, Long> map = new ConcurrentSkipListMap<>();

    @Override
    public long get(long key) {
        Long v = map.get(key);
        return v == null ? NO_VALUE : v;
    }

    @Override
    public long put(long key, long value) {
        Long old = map.put(key, checkedValue(value));
        return old == null ? NO_VALUE : old;
    }

    @Override
    public long putIfAbsent(long key, long value) {
        Long old = map.putIfAbsent(key, checkedValue(value));
        return old == null ? NO_VALUE : old;
    }

    @Override
    public long remove(long key) {
        Long old = map.remove(key);
        return old == null ? NO_VALUE : old;
    }

    @Override
    public boolean ceiling(long key, KeyResult out) {
        return found(map.ceilingEntry(key), out);
    }

    @Override
    public boolean floor(long key, KeyResult out) {
        return found(map.floorEntry(key), out);
    }

    private static boolean found(Map.Entry<Long, Long> e, KeyResult out) {
        if (e == null) {
            return false;
        }
        out.key = e.getKey();
        out.value = e.getValue();
        return true;
    }

    @Override
    public long rangeCount(long lo, long hi) {
        return lo > hi ? 0 : map.subMap(lo, true, hi, true).size();
    }

    @Override
    public void forEachInRange(long lo, long hi, EntryVisitor action) {
        if (lo > hi) {
            return;
        }
        for (Map.Entry<Long, Long> e : map.subMap(lo, true, hi, true).entrySet()) {
            if (!action.visit(e.getKey(), e.getValue())) {
                return;
            }
        }
    }

    @Override
    public long size() {
        return map.size();
    }

    @Override
    public String spec() {
        return "skiplist";
    }

    @Override
    public String toString() {
        return "skiplist(size=" + size() + ")";
    }

    static long checkedValue(long value) {
        if (value == NO_VALUE) {
            throw new IllegalArgumentException("NO_VALUE (Long.MIN_VALUE) marks absence and cannot be stored");
        }
        return value;
    }
}
