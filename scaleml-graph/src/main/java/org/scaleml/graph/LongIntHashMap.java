package org.scaleml.graph;

import java.util.Arrays;

/**
 * Open-addressing map from non-negative {@code long} keys to dense {@code int} values {@code 0, 1, 2, ...}
 * assigned in first-seen order (linear probing, load factor at most 1/2). Used to remap SNAP ids.
 * Not thread-safe.
 */
final class LongIntHashMap {
    private static final long EMPTY = -1;

    private long[] keys;
    private int[] values;
    private int mask;
    private int shift;
    private int size;

    LongIntHashMap(int expected) {
        int cap = Integer.highestOneBit(Math.max(16, Math.min(expected, 1 << 24)) * 2 - 1) << 1;
        allocate(cap);
    }

    private void allocate(int cap) {
        keys = new long[cap];
        Arrays.fill(keys, EMPTY);
        values = new int[cap];
        mask = cap - 1;
        shift = 64 - Integer.numberOfTrailingZeros(cap);
    }

    private int slot(long key) {
        return (int) ((key * 0x9E3779B97F4A7C15L) >>> shift);
    }

    /** @return the value of {@code key}, assigning the next dense value if it is new */
    int getOrAssign(long key) {
        int i = slot(key);
        for (;;) {
            long k = keys[i];
            if (k == key) {
                return values[i];
            }
            if (k == EMPTY) {
                if (size == Integer.MAX_VALUE - 1) {
                    throw new IllegalStateException("too many distinct node ids");
                }
                keys[i] = key;
                values[i] = size;
                int v = size++;
                if (size * 2L > keys.length) {
                    rehash();
                }
                return v;
            }
            i = (i + 1) & mask;
        }
    }

    private void rehash() {
        long[] oldKeys = keys;
        int[] oldValues = values;
        if (oldKeys.length >= 1 << 30) {
            throw new IllegalStateException("too many distinct node ids");
        }
        allocate(oldKeys.length * 2);
        for (int j = 0; j < oldKeys.length; j++) {
            long k = oldKeys[j];
            if (k != EMPTY) {
                int i = slot(k);
                while (keys[i] != EMPTY) {
                    i = (i + 1) & mask;
                }
                keys[i] = k;
                values[i] = oldValues[j];
            }
        }
    }

    int size() {
        return size;
    }

    /** @return the keys indexed by their value */
    long[] keysByValue() {
        long[] out = new long[size];
        for (int j = 0; j < keys.length; j++) {
            if (keys[j] != EMPTY) {
                out[values[j]] = keys[j];
            }
        }
        return out;
    }
}
