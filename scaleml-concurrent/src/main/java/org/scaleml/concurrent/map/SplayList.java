package org.scaleml.concurrent.map;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

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
 * amortized expectation [2]; with uniform accesses the list is a balanced skip-list, O(log n). About 130 bytes per
 * key (measured: a node of 56 bytes, on average one index node of 32, the counter arrays of the taller nodes).
 */
final class SplayList implements ConcurrentLongMap {
    /*
     * [2] V. Aksenov, D. Alistarh, A. Drozdova, A. Mohtashami, "The splay-list: a distribution-adaptive concurrent
     *     skip-list", DISC 2020 (and Distributed Computing 36, 2023).
     *
     * Structure. A sorted base list of nodes (key, value, next) and index levels 1..L above it, each a sorted list
     * of index nodes (key copy, node, down, right), as in java.util.concurrent's skip-list. A head tower has an
     * index at every level. A node's height is the highest level where it has an index; unlike a classic
     * skip-list, heights are not random: they follow access counts. Index nodes carry a copy of the key, so a
     * step of a search reads one object. (Towers as arrays of successors and successor keys beside each node were
     * tried and measured slower on 1M keys: a promotion reallocates the arrays away from the node, so the nodes
     * that searches cross most often lose the locality the layout was for, and memory grew by a fifth.)
     *
     * This class is longer than most: the lock-free paths, the locked paths and the balancing share one set of
     * invariants, stated here once.
     *
     * Counters, as in [2]: m = total accounted accesses; a node x counts its own accesses hits(x) and, for each
     * level h <= height(x), the accesses to the keys strictly inside x's interval at level h (between x and the
     * next node of height >= h), in levelHits[h-1]. The counters live in the node and a separate array, never in
     * the index nodes that lookups read, so that counter writes do not evict lookups' cache lines. An access to
     * key y adds 1 to m, to hits(y), and to the interval counter of the predecessor of y at every level above y's
     * height. Insertion counts as an access, so every key has weight
     * >= 1 (without it, never-read keys would pile up at the base level). L grows to bitLength(m) (a new top level
     * holds only the head, its interval counter = m).
     *
     * Removal is logical for keys that were read since their insertion: the node stays linked as a tombstone
     * (value NO_VALUE) with its height and counters, and an insertion of the key revives it, so that a popular
     * key removed and inserted again does not fall back to the base level and climb again. Tombstones wait in a
     * FIFO queue; beyond 64 + size/16 of them, the oldest are unlinked, their weight leaving the counters (as a
     * never-read key's is at once).
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
     * spin lock (a test-and-test-and-set word that yields after a while: hold times are a few cached path walks,
     * short next to parking and waking a thread); readers take no lock. An insertion searches for its place
     * before taking the lock and only validates it under the lock, so the cache misses of the search are not
     * paid inside the critical section. Invariants that make lock-free reads correct:
     *  (a) a linked index node's right points to a linked index node (or null); unlinking sets the predecessor's
     *      right to the unlinked node's right, and an unlinked node's right and down never change again; a new
     *      index node is fully initialized before the volatile write that links it;
     *  (b) the same for base nodes and next; NO_VALUE (absent) is written only under the lock, by a removal, and
     *      replaced only under the lock, by a revival; only tombstones are unlinked, and never revived after.
     * By (a) and (b) every node a reader steps on was linked at some instant after the reader started (either it
     * was linked when the pointer to it was read, or the node holding that pointer was unlinked after the reader
     * reached it, and the pointer was frozen then). The base-level walk of a lookup therefore starts from a node
     * that was linked after the lookup began, and, as in the lazy list of Heller et al. (OPODIS 2005), finds every
     * key that stayed present since; a node found with NO_VALUE is a tombstone, or was one when it was unlinked
     * during the lookup: the key was absent at that instant. So get is
     * linearizable without locks, and so is remove of an absent key (as a lookup) and a value replacement (a CAS
     * on the value of a node seen present: the CAS fails once the node is removed).
     * ceiling/floor read several nodes: they validate against a version counter (a sequence lock) that
     * insertions, removals and revivals make odd while they run, and fall back to the lock after a few failed
     * attempts; they skip tombstones.
     */
    private static final VarHandle VALUE;
    private static final VarHandle LOCK;

    static {
        try {
            VALUE = MethodHandles.lookup().findVarHandle(Node.class, "value", long.class);
            LOCK = MethodHandles.lookup().findVarHandle(SplayStateFields.class, "lock", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Base-level node. {@code hits}, {@code levelHits} and {@code height} are guarded by the structure lock. */
    static final class Node {
        final long key;
        volatile long value;
        volatile Node next;
        long hits;
        /** levelHits[h-1]: accesses strictly inside this node's interval at level h, for h <= height. */
        long[] levelHits;
        int height;
        /** False once physically unlinked; whether it waits in the tombstone queue. */
        boolean linked = true;
        boolean queued;

        Node(long key, long value) {
            this.key = key;
            this.value = value;
        }
    }

    /** Index node at some level >= 1: a copy of the key (one cache line per step of a search), node, down, right. */
    static final class Index {
        final long key;
        final Node node;
        final Index down;
        volatile Index right;

        Index(Node node, Index down, Index right) {
            this.key = node.key;
            this.node = node;
            this.down = down;
            this.right = right;
        }
    }

    private static final int OPTIMISTIC_ATTEMPTS = 8;
    /** Tombstones kept beyond size/16. */
    private static final long TOMBSTONES_MIN = 64;
    private static final int SPINS_BEFORE_YIELD = 256;

    private final int sample;
    private final int maxLevels;
    private final Node head = new Node(0, 0);
    /** The head's highest index node; read by every lookup, written only when a level is added. */
    private volatile Index top = new Index(head, null, null);
    /** Lock word, version, size and counters: written by updates, padded away from what lookups read. */
    private final SplayState state = new SplayState();

    SplayList(int sample, int maxLevels) {
        this.sample = sample;
        this.maxLevels = maxLevels;
        head.levelHits = new long[maxLevels];
        head.height = maxLevels;
        state.levels = 1;
    }

    // ---- the structure lock ----

    private boolean tryLock() {
        return state.lock == 0 && LOCK.compareAndSet((SplayStateFields) state, 0, 1);
    }

    private void lock() {
        for (int spins = 0; !tryLock(); spins++) {
            if (spins < SPINS_BEFORE_YIELD) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }

    private void unlock() {
        LOCK.setRelease((SplayStateFields) state, 0);
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

    /** An accounted lookup: counters and balancing, skipped if the lock is busy or the key is gone. */
    private void touch(long key) {
        if (tryLock()) {
            try {
                account(key);
            } finally {
                unlock();
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
            long v = state.version;
            if ((v & 1) != 0) {
                Thread.onSpinWait();
                continue;
            }
            Node n = nearNode(key, up);
            long value = n == null ? 0 : n.value;
            if (state.version == v) {
                return copy(n, value, out);
            }
        }
        lock();
        try {
            Node n = nearNode(key, up);
            return copy(n, n == null ? 0 : n.value, out);
        } finally {
            unlock();
        }
    }

    /** The nearest present node at or beyond {@code key}, skipping tombstones, or null. */
    private Node nearNode(long key, boolean up) {
        if (up) {
            Node n = predecessor(key, false).next;
            while (n != null && n.value == NO_VALUE) {
                n = n.next;
            }
            return n;
        }
        Node b = predecessor(key, true);
        while (b != head && b.value == NO_VALUE) {
            b = predecessor(b.key, false);
        }
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
        return state.size;
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
        Node b = predecessor(key, false);
        Node s = b.next;
        lock();
        try {
            // the place found without the lock is still right if b is linked (not removed), still precedes s,
            // and s comes after the key (s was read after the search: a node inserted meanwhile may precede it)
            if ((b != head && !b.linked) || b.next != s || (s != null && s.key <= key)) {
                b = predecessor(key, false);
                s = b.next;
                if (s != null && s.key == key) {
                    return s.value == NO_VALUE ? revive(s, value) : replace(s, value, onlyIfAbsent);
                }
            }
            Node x = new Node(key, value);
            x.next = s;
            long v = state.version;
            state.version = v + 1;
            b.next = x;
            state.size = state.size + 1;
            state.version = v + 2;
            account(key);
            return NO_VALUE;
        } finally {
            unlock();
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

    /** Makes the tombstone {@code x} present again with {@code value}, keeping its height and counters. */
    private long revive(Node x, long value) {
        long v = state.version;
        state.version = v + 1;
        x.value = value;
        state.size = state.size + 1;
        state.tombstones--;
        state.version = v + 2;
        account(x.key);
        return NO_VALUE;
    }

    @Override
    public long remove(long key) {
        Node seen = findNode(key);
        if (seen == null || seen.value == NO_VALUE) {
            return NO_VALUE;
        }
        lock();
        try {
            Node b = predecessor(key, false);
            Node x = b.next;
            if (x == null || x.key != key || x.value == NO_VALUE) {
                return NO_VALUE;
            }
            long v = state.version;
            state.version = v + 1;
            long old = (long) VALUE.getAndSet(x, NO_VALUE);
            state.size = state.size - 1;
            state.tombstones++;
            state.version = v + 2;
            if (x.hits > 1 && !x.queued) {
                // a key that was read keeps its node, height and counters, in case it comes back
                x.queued = true;
                state.tombstones().add(x);
            }
            if (!x.queued) {
                unlink(x);
            }
            while (state.tombstones > TOMBSTONES_MIN + state.size / 16 && !state.tombstones().isEmpty()) {
                Node t = state.tombstones().poll();
                t.queued = false;
                if (t.linked && t.value == NO_VALUE) {
                    unlink(t);
                }
            }
            return old;
        } finally {
            unlock();
        }
    }

    /** Physically unlinks the tombstone {@code x} from every level, its weight leaving the counters. */
    private void unlink(Node x) {
        long key = x.key;
        Index p = top;
        for (int h = state.levels; ; h--) {
            for (Index r = p.right; r != null && r.key < key; r = r.right) {
                p = r;
            }
            if (h <= x.height) {
                p.node.levelHits[h - 1] += x.levelHits[h - 1];
                p.right = p.right.right;
            } else {
                p.node.levelHits[h - 1] -= x.hits;
            }
            if (h == 1) {
                break;
            }
            p = p.down;
        }
        Node b = p.node;
        while (b.next != x) {
            b = b.next;
        }
        state.total -= x.hits;
        b.next = x.next;
        x.linked = false;
        state.tombstones--;
    }

    // ---- counters and balancing (lock held) ----

    /**
     * Counts one access to {@code key} if it is present (see the algorithm comment), then rebalances along its
     * path; does nothing if it is absent.
     */
    private void account(long key) {
        SplayState st = state;
        Index[] path = st.path(maxLevels);
        int levels = st.levels;
        Index p = top;
        Node target = null;
        int h = levels;
        for (; h >= 1; h--) {
            Index r = p.right;
            while (r != null && r.key < key) {
                p = r;
                r = r.right;
            }
            if (r != null && r.key == key) {
                target = r.node;
                break;
            }
            path[h] = p;
            if (h > 1) {
                p = p.down;
            }
        }
        if (target == null) {
            Node x = p.node.next;
            while (x != null && x.key < key) {
                x = x.next;
            }
            if (x == null || x.key != key) {
                return;
            }
            target = x;
            h = 0;
        }
        if (target.value == NO_VALUE) {
            return; // a tombstone: the key is absent
        }
        for (int l = levels; l > h; l--) {
            path[l].node.levelHits[l - 1]++;
        }
        target.hits++;
        st.total++;
        while (st.levels < maxLevels && st.levels < 64 - Long.numberOfLeadingZeros(st.total)) {
            // a new top level holding only the head; its interval holds every access
            head.levelHits[st.levels] = st.total;
            st.levels++;
            top = new Index(head, top, null);
        }
        rebalance(key);
    }

    private long threshold(int h) {
        return state.total >>> (state.levels - h);
    }

    /** Ascent and descent checks for the nodes on the path to the present key {@code key} (see the comment). */
    private void rebalance(long key) {
        Index up = null;
        Index p = top;
        for (int h = state.levels; ; h--) {
            Index r = p.right;
            while (r != null && r.key <= key) {
                Node rn = r.node;
                long[] ph = p.node.levelHits;
                if (rn.height == h && up != null && up.down == p && p.right == r
                        && ph[h] - ph[h - 1] > threshold(h + 1)) {
                    promote(up, r, rn, h);
                } else if (r.key < key && rn.height == h
                        && rn.hits + rn.levelHits[h - 1] + p.node.hits + ph[h - 1] <= threshold(h)) {
                    ph[h - 1] += rn.hits + rn.levelHits[h - 1];
                    rn.levelHits[h - 1] = 0;
                    p.right = r.right;
                    rn.height = h - 1;
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
            if (x.height == 0 && b == p.node && p.node.levelHits[0] > threshold(1)) {
                promote(p, null, x, 0);
            }
            if (x.key == key) {
                return;
            }
        }
    }

    /**
     * Raises node {@code x}, of height {@code h} and top index {@code below} (null at the base), to level h+1,
     * right after {@code up}, the level-(h+1) index of the node whose level-h interval ends at {@code x}.
     */
    private static void promote(Index up, Index below, Node x, int h) {
        long[] uh = up.node.levelHits;
        long upBelow = h == 0 ? 0 : uh[h - 1];
        if (x.levelHits == null || x.levelHits.length <= h) {
            x.levelHits = x.levelHits == null ? new long[2] : Arrays.copyOf(x.levelHits, 2 * (h + 1));
        }
        x.levelHits[h] = uh[h] - upBelow - x.hits;
        uh[h] = upBelow;
        x.height = h + 1;
        up.right = new Index(x, below, up.right);
    }

    /** Removed keys whose nodes are still linked (for tests). */
    long tombstones() {
        lock();
        try {
            return state.tombstones;
        } finally {
            unlock();
        }
    }

    @Override
    public String spec() {
        return "splay:sample=" + sample + ",levels=" + maxLevels;
    }

    @Override
    public String toString() {
        return spec() + "(size=" + size() + ")";
    }
}
