package org.scaleml.concurrent.uf;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;

/**
 * The shared part of the thread-safe forests: one {@code int} word per element holding its parent (a root is its
 * own parent), read with acquire, linked with a volatile compare-and-set, and the linearizable {@link #sameSet}
 * that both the lock-free and the locked forest use.
 */
abstract class ParentForest implements ConcurrentUnionFind {
    /** Memory modes: every traversal reads with acquire; links use volatile CAS; compaction uses release writes. */
    static final VarHandle WORDS = MethodHandles.arrayElementVarHandle(int[].class);

    /** Element words; the low bits selected by {@link #parentMask} are the parent. */
    final int[] words;
    /** Selects the parent from a word: all bits, or the low bits when the high ones hold a rank. */
    final int parentMask;

    ParentForest(int n, int parentMask) {
        this.words = new int[n];
        this.parentMask = parentMask;
        for (int i = 0; i < n; i++) {
            words[i] = i;
        }
    }

    @Override
    public final int size() {
        return words.length;
    }

    final int word(int x) {
        return (int) WORDS.getAcquire(words, x);
    }

    final int parentOf(int x) {
        return word(x) & parentMask;
    }

    final int checked(int x) {
        return Objects.checkIndex(x, words.length);
    }

    /**
     * Find both roots; equal roots mean one set. Unequal ones mean two sets at the instant the second root was
     * read if the first is still a root afterwards (a root that stays a root was one throughout, so both were
     * roots at that instant); otherwise the first root was linked meanwhile and we look again.
     */
    @Override
    public final boolean sameSet(int x, int y) {
        checked(y);
        for (;;) {
            int rx = find(x);
            int ry = find(y);
            if (rx == ry) {
                return true;
            }
            if (parentOf(rx) == rx) {
                return false;
            }
        }
    }
}
