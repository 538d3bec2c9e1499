package org.scaleml.concurrent.map;

import java.util.ArrayDeque;

/** Padding before the splay-list's write-hot fields, so that they share no cache line with what lookups read. */
abstract class SplayStatePadBefore {
    long p00, p01, p02, p03, p04, p05, p06, p07;
    long p08, p09, p10, p11, p12, p13, p14, p15;
}

/** The fields updates write: the lock word, the sequence-lock version, the size, and lock-guarded counters. */
abstract class SplayStateFields extends SplayStatePadBefore {
    /** 0 free, 1 held; through {@code SplayList.LOCK}. */
    volatile int lock;
    /** Odd while an insertion, removal or revival changes the key set; written under the lock. */
    volatile long version;
    volatile long size;
    /** Guarded by the lock: total accounted accesses (m), index levels (L), linked tombstones. */
    long total;
    int levels;
    long tombstones;
    /** Guarded by the lock: removed nodes kept linked, oldest first (may hold revived or unlinked ones). */
    private ArrayDeque<SplayList.Node> queue;

    ArrayDeque<SplayList.Node> tombstones() {
        if (queue == null) {
            queue = new ArrayDeque<>();
        }
        return queue;
    }

    /** Guarded by the lock: scratch array of the predecessors on an accounted path, reused. */
    private SplayList.Index[] path;

    SplayList.Index[] path(int maxLevels) {
        if (path == null) {
            path = new SplayList.Index[maxLevels + 1];
        }
        return path;
    }
}

/** Padding after the write-hot fields. */
final class SplayState extends SplayStateFields {
    long q00, q01, q02, q03, q04, q05, q06, q07;
    long q08, q09, q10, q11, q12, q13, q14, q15;
}
