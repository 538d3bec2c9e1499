package org.scaleml.concurrent.map;

import java.util.concurrent.locks.StampedLock;

/**
 * The lock-based baseline ({@code locked-tree}): the primitive AVL tree of {@link AvlTreeMap} under one
 * {@link StampedLock}. Thread-safe and blocking; every operation of {@link ConcurrentLongMap} except the range
 * operations and {@code size} is linearizable (the lock orders them), and those are exact within one lock hold.
 *
 * <p>Updates take the write lock. With {@code optimistic=true} (the default), {@code get}, {@code ceiling} and
 * {@code floor} first run without any lock under an optimistic stamp: they write nothing shared, so readers do not
 * contend with each other; a read that overlapped a write fails validation and is repeated under the read lock.
 * {@code forEachInRange} copies the range out in chunks under the read lock and calls the visitor with no lock
 * held, so a visitor may update the map (it is weakly consistent across chunks).
 */
final class LockedTreeMap implements ConcurrentLongMap {
    /** Entries copied per read-lock hold by {@link #forEachInRange}. */
    private static final int CHUNK = 256;

    private final AvlTreeMap tree = new AvlTreeMap();
    private final StampedLock lock = new StampedLock();
    private final boolean optimistic;

    LockedTreeMap(boolean optimistic) {
        this.optimistic = optimistic;
    }

    @Override
    public long get(long key) {
        if (optimistic) {
            long stamp = lock.tryOptimisticRead();
            if (stamp != 0) {
                int t = tree.find(key);
                long v = t == AvlTreeMap.NIL ? NO_VALUE : tree.valueAt(t);
                if (lock.validate(stamp)) {
                    return v;
                }
            }
        }
        long stamp = lock.readLock();
        try {
            return tree.get(key);
        } finally {
            lock.unlockRead(stamp);
        }
    }

    @Override
    public long put(long key, long value) {
        return write(key, value, false);
    }

    @Override
    public long putIfAbsent(long key, long value) {
        return write(key, value, true);
    }

    private long write(long key, long value, boolean onlyIfAbsent) {
        SkipListLongMap.checkedValue(value);
        long stamp = lock.writeLock();
        try {
            return onlyIfAbsent ? tree.putIfAbsent(key, value) : tree.put(key, value);
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    @Override
    public long remove(long key) {
        long stamp = lock.writeLock();
        try {
            return tree.remove(key);
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    @Override
    public boolean ceiling(long key, KeyResult out) {
        return near(key, true, out);
    }

    @Override
    public boolean floor(long key, KeyResult out) {
        return near(key, false, out);
    }

    private boolean near(long key, boolean ceiling, KeyResult out) {
        if (optimistic) {
            long stamp = lock.tryOptimisticRead();
            if (stamp != 0) {
                int t = ceiling ? tree.ceilingNode(key) : tree.floorNode(key);
                long k = tree.keyAt(t);
                long v = tree.valueAt(t);
                if (lock.validate(stamp)) {
                    return copy(t, k, v, out);
                }
            }
        }
        long stamp = lock.readLock();
        try {
            int t = ceiling ? tree.ceilingNode(key) : tree.floorNode(key);
            return copy(t, tree.keyAt(t), tree.valueAt(t), out);
        } finally {
            lock.unlockRead(stamp);
        }
    }

    private static boolean copy(int t, long k, long v, KeyResult out) {
        if (t == AvlTreeMap.NIL) {
            return false;
        }
        out.key = k;
        out.value = v;
        return true;
    }

    @Override
    public long rangeCount(long lo, long hi) {
        long stamp = lock.readLock();
        try {
            return tree.rangeCount(lo, hi);
        } finally {
            lock.unlockRead(stamp);
        }
    }

    @Override
    public void forEachInRange(long lo, long hi, EntryVisitor action) {
        long[] ks = new long[CHUNK];
        long[] vs = new long[CHUNK];
        long from = lo;
        while (from <= hi) {
            int[] n = new int[1];
            long stamp = lock.readLock();
            try {
                tree.forEachInRange(from, hi, (k, v) -> {
                    ks[n[0]] = k;
                    vs[n[0]] = v;
                    return ++n[0] < CHUNK;
                });
            } finally {
                lock.unlockRead(stamp);
            }
            for (int i = 0; i < n[0]; i++) {
                if (!action.visit(ks[i], vs[i])) {
                    return;
                }
            }
            if (n[0] < CHUNK || ks[CHUNK - 1] == Long.MAX_VALUE) {
                return;
            }
            from = ks[CHUNK - 1] + 1;
        }
    }

    @Override
    public long size() {
        long stamp = lock.tryOptimisticRead();
        long n = tree.size();
        if (!lock.validate(stamp)) {
            stamp = lock.readLock();
            try {
                n = tree.size();
            } finally {
                lock.unlockRead(stamp);
            }
        }
        return n;
    }

    @Override
    public String spec() {
        return "locked-tree:optimistic=" + optimistic;
    }

    @Override
    public String toString() {
        return spec() + "(size=" + size() + ")";
    }
}
