package org.scaleml.concurrent.map;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The splay-list ({@code splay}): a skip-list whose keys move up and down levels by access frequency, after [2], so
 * that frequently read keys are found in few steps. Thread-safe. {@code get}, {@code ceiling}, {@code floor} and
 * the range operations take no lock and write nothing shared (except, 1 time in {@code sample}, an optional
 * counter update under a {@code tryLock}, skipped if the lock is busy); {@code get} never retries or waits.
 * Replacing the value of a present key is a CAS with no lock. Insertions and removals of keys, and the counter
 * updates, hold one structure lock: they are blocking and serialized. Every operation except the range operations
 * and {@code size} is linearizable.
 *
 * <p>Cost: a key read with frequency p (among the accounted accesses) is found after O(log(1/p)) steps, in
 * amortized expectation [2]; with uniform accesses the list is a balanced skip-list, O(log n). About 90 bytes per
 * key (a node of 48 bytes and on average one index node of 40).
 */
final class SplayList implements ConcurrentLongMap {
    /*
     * [2] V. Aksenov, D. Alistarh, A. Drozdova, A. Mohtashami, "The splay-list: a distribution-adaptive concurrent
     *     skip-list", DISC 2020 (and Distributed Computing 36, 2023).
     *
     * Structure. A sorted base list of nodes (key, value, next) and index levels 1..L above it, each a sorted list
     * of index nodes (key copy, node, down, right), as in java.util.concurrent's skip-list. A head tower has an
     * index at every level. A node's height is the highest level where it has an index; unlike a classic
     * skip-list, heights are not random: they follow access counts.
     *
     * Counters, as in [2]: m = total accounted accesses; a node x counts its own accesses hits(x); an index node
     * of x at level h counts the accesses to the keys strictly inside x's interval at level h (between x and the
     * next node of height >= h). An access to key y adds 1 to m, to hits(y), and to the interval counter of the
     * predecessor of y at every level above y's height. Insertion counts as an access, so every key has weight
     * >= 1 (without it, never-read keys would pile up at the base level); removal subtracts the key's weight.
     * L grows to bitLength(m) (a new top level holds only the head, its interval counter = m).
     *
     * Balancing, checked on the path of each accounted access, with T(h) = m / 2^(L-h):
     *  - ascent: a node r of height h that comes right after its level-(h+1) predecessor u (so u's level-h
     *    interval ends at r) rises to h+1 when the weight of u's level-(h+1) interval from r on - hits(u, h+1) -
     *    hits(u, h) - exceeds T(h+1); the counters split exactly: u keeps hits(u, h), r gets the rest minus its own.
     *  - descent: a node r of height h >= 1 passed over by the path sinks to h-1 when its weight at h plus its
     *    predecessor's, (hits(r) + hits(r, h)) + (hits(p) + hits(p, h)), is at most T(h); p absorbs r's interval.
     * Between two consecutive nodes of height >= h+1 the weight is then at most about T(h+1), while two adjacent
     * nodes of height h weigh more than T(h) = T(h+1)/2 together: O(1) steps per level. A key of weight w rises
     * to about level log2(w), i.e. L - log2(m/w) levels below the top: its search path is O(log(m/w)) = O(log 1/p)
     * steps ([2], Theorem 1, amortized over the accesses).
     *
     * Relaxation (the concurrent splay-list of [2]): a lookup updates the counters only with probability 1/sample,
     * and skips it if another thread holds the structure lock (tryLock). Each accounted lookup stands for
     * `sample` lookups in expectation, so relative weights, and hence the heights and the O(log 1/p) paths,
     * are kept in expectation, while the lock and the counter writes are off the common path.
     *
     * Concurrency. All structural changes (link and unlink of nodes and index nodes, counters) happen under one
     * ReentrantLock; readers take no lock. Invariants that make lock-free reads correct:
     *  (a) a linked index node's right points to a linked index node (or null); unlinking sets the predecessor's
     *      right to the unlinked node's right, and an unlinked node's right and down never change again; a new
     *      index node is fully initialized before the volatile write that links it;
     *  (b) the same for base nodes and next; a node's value becomes NO_VALUE (removed) in the critical section that
     *      unlinks it, and nothing else ever writes NO_VALUE.
     * By (a) and (b) every node a reader steps on was linked at some instant after the reader started (either it
     * was linked when the pointer to it was read, or the node holding that pointer was unlinked after the reader
     * reached it, and the pointer was frozen then). The base-level walk of a lookup therefore starts from a node
     * that was linked after the lookup began, and, as in the lazy list of Heller et al. (OPODIS 2005), finds every
     * key that stayed present since; a node found with NO_VALUE was removed during the lookup. So get is
     * linearizable without locks, and so is remove of an absent key (as a lookup) and a value replacement (a CAS
     * on the value of a node seen present: the CAS fails once the node is removed).
     * ceiling/floor read several nodes: they validate against a version counter (a sequence lock) that
     * insertions and removals make odd while they run, and fall back to the lock after a few failed attempts.
     */
    private static final VarHandle VALUE;

    static {
        try {
            VALUE = MethodHandles.lookup().findVarHandle(Node.class, "value", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Base-level node. {@code hits}, {@code height} and {@code top} are guarded by the structure lock. */
    static final class Node {
        final long key;
        volatile long value;
        volatile Node next;
        long hits;
        int height;
        Index top;

        Node(long key, long value) {
            this.key = key;
            this.value = value;
        }
    }

    /** Index node at some level >= 1; {@code hits} is guarded by the structure lock. */
    static final class Index {
        final long key;
        final Node node;
        final Index down;
        volatile Index right;
        long hits;

        Index(Node node, Index down, Index right) {
            this.key = node.key;
            this.node = node;
            this.down = down;
            this.right = right;
        }
    }

    private static final int OPTIMISTIC_ATTEMPTS = 8;

    private final int sample;
    private final int maxLevels;
    private final Node head = new Node(0, 0);
    private final ReentrantLock lock = new ReentrantLock();
    /** The head's highest index node; read by every lookup. */
    private volatile Index top = new Index(head, null, null);
    /** Guarded by the lock: index levels (the head's height) and total accounted accesses (m). */
    private int levels = 1;
    private long total;
    /** Sequence lock of the key set: odd while an insertion or removal runs. Written under the lock only. */
    private volatile long version;
    private volatile long size;

    SplayList(int sample, int maxLevels) {
        this.sample = sample;
        this.maxLevels = maxLevels;
    }

    // ---- lookups (no lock) ----

    @Override
    public long get(long key) {
        Node n = findNode(key);
        if (n == null) {
            return NO_VALUE;
        }
        long v = n.value;
        if (v != NO_VALUE && sampled()) {
            touch(key);
        }
        return v;
    }

    /** The node of {@code key} reached by a lock-free search (possibly removed meanwhile), or null. */
    private Node findNode(long key) {
        Index q = top;
        for (;;) {
            Index r = q.right;
            while (r != null) {
                long k = r.key;
                if (k >= key) {
                    if (k == key) {
                        return r.node;
                    }
                    break;
                }
                q = r;
                r = r.right;
            }
            Index d = q.down;
            if (d == null) {
                break;
            }
            q = d;
        }
        for (Node n = q.node.next; n != null; n = n.next) {
            long k = n.key;
            if (k >= key) {
                return k == key ? n : null;
            }
        }
        return null;
    }

    /** Nodes whose key a lookup of {@code key} reads, index and base levels together (for tests). */
    int pathLength(long key) {
        int steps = 0;
        Index q = top;
        for (;;) {
            Index r = q.right;
            while (r != null) {
                steps++;
                if (r.key >= key) {
                    if (r.key == key) {
                        return steps;
                    }
                    break;
                }
                q = r;
                r = r.right;
            }
            if (q.down == null) {
                break;
            }
            q = q.down;
        }
        for (Node n = q.node.next; n != null; n = n.next) {
            steps++;
            if (n.key >= key) {
                break;
            }
        }
        return steps;
    }

    /** The last node with a key below {@code key} (strictly, or {@code <=} with {@code inclusive}); head if none. */
    private Node predecessor(long key, boolean inclusive) {
        Index q = top;
        for (;;) {
            for (Index r = q.right; r != null && (r.key < key || (inclusive && r.key == key)); r = r.right) {
                q = r;
            }
            if (q.down == null) {
                break;
            }
            q = q.down;
        }
        Node b = q.node;
        for (Node n = b.next; n != null && (n.key < key || (inclusive && n.key == key)); n = n.next) {
            b = n;
        }
        return b;
    }

    private boolean sampled() {
        return sample == 1 || (ThreadLocalRandom.current().nextInt() & (sample - 1)) == 0;
    }

    /** An accounted lookup of a present key: counters and balancing, skipped if the lock is busy. */
    private void touch(long key) {
        if (lock.tryLock()) {
            try {
                Node b = predecessor(key, false);
                Node n = b.next;
                if (n != null && n.key == key) {
                    account(key);
                }
            } finally {
                lock.unlock();
            }
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

    private boolean near(long key, boolean up, KeyResult out) {
        for (int attempt = 0; attempt < OPTIMISTIC_ATTEMPTS; attempt++) {
            long v = version;
            if ((v & 1) != 0) {
                Thread.onSpinWait();
                continue;
            }
            Node n = nearNode(key, up);
            long value = n == null ? 0 : n.value;
            if (version == v) {
                return copy(n, value, out);
            }
        }
        lock.lock();
        try {
            Node n = nearNode(key, up);
            return copy(n, n == null ? 0 : n.value, out);
        } finally {
            lock.unlock();
        }
    }

    private Node nearNode(long key, boolean up) {
        if (up) {
            Node n = predecessor(key, false).next;
            return n;
        }
        Node b = predecessor(key, true);
        return b == head ? null : b;
    }

    private static boolean copy(Node n, long value, KeyResult out) {
        if (n == null) {
            return false;
        }
        out.key = n.key;
        out.value = value;
        return true;
    }

    @Override
    public long rangeCount(long lo, long hi) {
        long count = 0;
        if (lo <= hi) {
            for (Node n = predecessor(lo, false).next; n != null && n.key <= hi; n = n.next) {
                if (n.value != NO_VALUE) {
                    count++;
                }
            }
        }
        return count;
    }

    @Override
    public void forEachInRange(long lo, long hi, EntryVisitor action) {
        if (lo > hi) {
            return;
        }
        for (Node n = predecessor(lo, false).next; n != null && n.key <= hi; n = n.next) {
            long v = n.value;
            if (v != NO_VALUE && !action.visit(n.key, v)) {
                return;
            }
        }
    }

    @Override
    public long size() {
        return size;
    }

    // ---- updates ----

    @Override
    public long put(long key, long value) {
        return insert(key, SkipListLongMap.checkedValue(value), false);
    }

    @Override
    public long putIfAbsent(long key, long value) {
        return insert(key, SkipListLongMap.checkedValue(value), true);
    }

    private long insert(long key, long value, boolean onlyIfAbsent) {
        Node n = findNode(key);
        if (n != null) {
            long old = replace(n, value, onlyIfAbsent);
            if (old != NO_VALUE) {
                if (sampled()) {
                    touch(key);
                }
                return old;
            }
        }
        lock.lock();
        try {
            Node b = predecessor(key, false);
            Node s = b.next;
            if (s != null && s.key == key) {
                return replace(s, value, onlyIfAbsent);
            }
            Node x = new Node(key, value);
            x.next = s;
            long v = version;
            version = v + 1;
            b.next = x;
            size = size() + 1;
            version = v + 2;
            account(key);
            return NO_VALUE;
        } finally {
            lock.unlock();
        }
    }

    /** Replaces the value of a node seen present; NO_VALUE if it was removed first. */
    private static long replace(Node n, long value, boolean onlyIfAbsent) {
        for (;;) {
            long v = n.value;
            if (v == NO_VALUE || onlyIfAbsent || VALUE.compareAndSet(n, v, value)) {
                return v;
            }
        }
    }

    @Override
    public long remove(long key) {
        Node seen = findNode(key);
        if (seen == null || seen.value == NO_VALUE) {
            return NO_VALUE;
        }
        lock.lock();
        try {
            Index[] preds = new Index[levels + 1];
            Index p = top;
            for (int h = levels; ; h--) {
                for (Index r = p.right; r != null && r.key < key; r = r.right) {
                    p = r;
                }
                preds[h] = p;
                if (h == 1) {
                    break;
                }
                p = p.down;
            }
            Node b = p.node;
            while (b.next != null && b.next.key < key) {
                b = b.next;
            }
            Node x = b.next;
            if (x == null || x.key != key) {
                return NO_VALUE;
            }
            long v = version;
            version = v + 1;
            long old = (long) VALUE.getAndSet(x, NO_VALUE);
            for (int h = levels; h >= 1; h--) {
                Index ph = preds[h];
                if (h <= x.height) {
                    Index xi = ph.right;
                    ph.hits += xi.hits;
                    ph.right = xi.right;
                } else {
                    ph.hits -= x.hits;
                }
            }
            total -= x.hits;
            b.next = x.next;
            size = size() - 1;
            version = v + 2;
            return old;
        } finally {
            lock.unlock();
        }
    }

    // ---- counters and balancing (lock held) ----

    /** Counts one access to the present key {@code key}, then rebalances along its path. */
    private void account(long key) {
        while (levels < maxLevels && levels < 64 - Long.numberOfLeadingZeros(total)) {
            Index t = new Index(head, top, null);
            t.hits = total;
            levels++;
            top = t;
        }
        total++;
        Index p = top;
        for (;;) {
            Index r = p.right;
            while (r != null && r.key < key) {
                p = r;
                r = r.right;
            }
            if (r != null && r.key == key) {
                r.node.hits++;
                rebalance(key);
                return;
            }
            p.hits++;
            if (p.down == null) {
                break;
            }
            p = p.down;
        }
        Node x = p.node.next;
        while (x.key < key) {
            x = x.next;
        }
        x.hits++;
        rebalance(key);
    }

    private long threshold(int h) {
        return total >>> (levels - h);
    }

    /** Ascent and descent checks for the nodes on the path to the present key {@code key} (see the comment). */
    private void rebalance(long key) {
        Index up = null;
        Index p = top;
        for (int h = levels; ; h--) {
            Index r = p.right;
            while (r != null && r.key <= key) {
                Node rn = r.node;
                if (rn.height == h && up != null && up.down == p && p.right == r
                        && up.hits - p.hits > threshold(h + 1)) {
                    promote(up, p.hits, r, h);
                } else if (r.key < key && rn.height == h
                        && rn.hits + r.hits + p.node.hits + p.hits <= threshold(h)) {
                    p.hits += rn.hits + r.hits;
                    p.right = r.right;
                    rn.height = h - 1;
                    rn.top = r.down;
                    r = p.right;
                    continue;
                }
                if (r.key == key) {
                    return;
                }
                p = r;
                r = r.right;
            }
            if (h == 1) {
                break;
            }
            up = p;
            p = p.down;
        }
        Node b = p.node;
        for (Node x = b.next; x != null && x.key <= key; b = x, x = x.next) {
            if (x.height == 0 && b == p.node && p.hits > threshold(1)) {
                promote(p, 0, x, 0);
            }
            if (x.key == key) {
                return;
            }
        }
    }

    /**
     * Raises the node whose top is {@code below} (an index at level {@code h}, or null and the node itself at the
     * base) to level h+1, right after {@code up}, whose level-h interval (weight {@code upBelowHits}) ends at it.
     */
    private void promote(Index up, long upBelowHits, Object below, int h) {
        Node x = below instanceof Index ? ((Index) below).node : (Node) below;
        Index nx = new Index(x, h == 0 ? null : (Index) below, up.right);
        nx.hits = up.hits - upBelowHits - x.hits;
        up.hits = upBelowHits;
        x.height = h + 1;
        x.top = nx;
        up.right = nx;
    }

    @Override
    public String spec() {
        return "splay:sample=" + sample + ",levels=" + maxLevels;
    }

    @Override
    public String toString() {
        return spec() + "(size=" + size + ")";
    }
}
