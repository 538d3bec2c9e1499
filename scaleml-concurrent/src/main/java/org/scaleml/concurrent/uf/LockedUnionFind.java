package org.scaleml.concurrent.uf;

import java.util.concurrent.locks.ReentrantLock;

/**
 * The lock-based baseline ({@code uf-lock}): union by size under locks, one lock or {@code stripes} locks chosen by
 * root. Thread-safe and blocking ({@code union} takes locks; {@code find} and {@code sameSet} never do);
 * linearizable like every {@link ConcurrentUnionFind}.
 */
final class LockedUnionFind extends ParentForest {
    /*
     * A root r is guarded by the lock of stripe r % stripes: only a thread holding it may link r or change
     * setSize[r]. union finds both roots without locks, takes the locks of their stripes (lower stripe first, so
     * two unions never wait for each other in a cycle), checks that both are still roots (else unlocks and looks
     * again), and hangs the smaller set under the larger one (ties: the second under the first) with a volatile
     * store. find walks without locks and halves the path with a weak CAS, which only ever touches non-roots and
     * replaces a parent by an ancestor, so it cannot interfere with a link. With one stripe this is the classic
     * single-lock structure with lock-free reads.
     */
    private final int[] setSize;
    private final ReentrantLock[] locks;

    LockedUnionFind(int n, int stripes) {
        super(n, -1);
        setSize = new int[n];
        java.util.Arrays.fill(setSize, 1);
        locks = new ReentrantLock[stripes];
        for (int i = 0; i < stripes; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    @Override
    public int find(int x) {
        checked(x);
        for (;;) {
            int p = parentOf(x);
            if (p == x) {
                return x;
            }
            int g = parentOf(p);
            if (g == p) {
                return p;
            }
            WORDS.weakCompareAndSetRelease(words, x, p, g);
            x = g;
        }
    }

    @Override
    public boolean union(int x, int y) {
        checked(y);
        for (;;) {
            int rx = find(x);
            int ry = find(y);
            if (rx == ry) {
                return false;
            }
            ReentrantLock first = locks[Math.min(rx % locks.length, ry % locks.length)];
            ReentrantLock second = locks[Math.max(rx % locks.length, ry % locks.length)];
            first.lock();
            try {
                if (second != first) {
                    second.lock();
                }
                try {
                    if (parentOf(rx) == rx && parentOf(ry) == ry) {
                        if (setSize[rx] < setSize[ry]) {
                            int t = rx;
                            rx = ry;
                            ry = t;
                        }
                        setSize[rx] += setSize[ry];
                        WORDS.setVolatile(words, ry, rx);
                        return true;
                    }
                } finally {
                    if (second != first) {
                        second.unlock();
                    }
                }
            } finally {
                first.unlock();
            }
        }
    }

    @Override
    public String toString() {
        return "uf-lock(stripes=" + locks.length + ",n=" + size() + ")";
    }
}
