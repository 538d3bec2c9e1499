package org.scaleml.concurrent.map;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;

/**
 * C-IST ({@code cist}): a lock-free interpolation search tree with collaborative rebuilding of subtrees, after [1].
 * Thread-safe and lock-free: {@code get}, {@code rangeCount} and {@code forEachInRange} never write shared memory
 * and never wait (wait-free apart from the tree's depth); updates and {@code ceiling}/{@code floor} retry only when
 * another operation made progress. {@code get}, {@code put}, {@code putIfAbsent}, {@code remove}, {@code ceiling}
 * and {@code floor} are linearizable; the range operations and {@code size} are weakly consistent (see
 * {@link ConcurrentLongMap}).
 *
 * <p>Cost: on keys drawn from a smooth distribution (uniform, or any with a bounded density), a lookup visits
 * O(log log n) nodes in expectation and finds its child in each in O(1) expected time; the worst case per node is
 * O(log degree). Updates cost a lookup plus a copy of one leaf (at most {@code leaf} pairs), plus an amortized O(1)
 * share of rebuilding. Lookups allocate nothing. Memory is about 20 bytes per key with the default leaves (16-byte
 * pairs in leaf arrays filled to half at rebuild, plus separators, slots and the interpolation index).
 */
final class InterpolationSearchTree implements ConcurrentLongMap {
    /*
     * [1] T. Brown, A. Prokopec, D. Alistarh, "Non-blocking interpolation search trees with doubly-logarithmic
     *     running time", PPoPP 2020. After K. Mehlhorn and A. Tsakalidis, "Dynamic interpolation search", JACM 1993.
     *
     * Shape. An inner node (IstInner) holds d-1 sorted separators, d child slots and an interpolation index
     * (see IstInner). A slot holds a leaf, an inner node, or the marker of a rebuild. Leaves are immutable sorted
     * arrays of (key, value) pairs of at most `leaf` pairs (IstLeaf); [1] keeps one pair per leaf - small arrays
     * cut the number of objects and the depth, and a leaf scan is one or two cache lines. The root hangs from a
     * slot of the array `top`, so the root is replaced exactly like any child.
     *
     * Ideal subtree (buildIdeal) of n sorted keys: a leaf if n <= leaf/2; else an inner node whose separators are
     * the keys of ranks j*n/d, with d = ceil(sqrt(n)) children of about sqrt(n) keys each (the IST's doubly-
     * logarithmic depth), except that when n <= FLAT_MAX * leaf/2 the children are leaves directly (d = n/(leaf/2)):
     * a 10M-key tree is then root (3163 children), 3162-key nodes (396 leaves), leaves: three hops.
     *
     * Updates. Descend to the leaf slot of the key; build the new leaf (value replaced, pair inserted or removed;
     * a full leaf splits into a two-leaf inner node); CAS the slot from the old leaf to the new one. The CAS is the
     * linearization point; if it fails, re-read the slot and go on from there. Leaves and nodes are never reused,
     * so a slot never returns to a value it held (no ABA). After a successful insertion or removal, the update
     * descends again and counts itself in every inner node on the path (sampled for large nodes); the highest node
     * whose count reached rebuild * (keys when built) is rebuilt. Each rebuild costs O(its size) and follows
     * Omega(its size) updates below it: O(1) amortized per update, and the tree returns to ideal shape.
     *
     * Rebuild (IstRebuild), lock-free and collaborative, of subtree R hanging from slot P:
     *  1. CAS P from R to the rebuild object op. From now on, updates that reach op (or, below it, a frozen slot)
     *     help op and then retry from the top; readers read through op into R.
     *  2. Freeze: every slot in R is CASed from its content c to Frozen(c, op), after which no update CAS on it can
     *     succeed. Helpers claim R's child slots through a shared counter, freeze and count the keys under each
     *     (each inner node records its count once all below it is frozen), then sweep for slots still uncounted
     *     and do those themselves: every step is idempotent, so a slow or dead helper never blocks another.
     *     A slot may already be frozen by a nested rebuild below; its content counts the same. A nested rebuild
     *     found in a slot (its install CAS will now fail) contributes its old subtree.
     *  3. Build: with the counts, the frozen subtree is a rank-addressable sorted sequence. Small subtrees (up to
     *     PARALLEL_MIN keys) are built whole by each helper (the first to publish wins). Large ones are split: one
     *     new root of ceil(sqrt(n)) children with separators picked by rank, whose children (each the ideal tree
     *     of a rank range) the helpers claim and build in parallel, then sweep for missing ones.
     *  4. Install: CAS P from op to the new subtree. It fails only if an enclosing rebuild froze P meanwhile; that
     *     one then collects R through op, as in step 2.
     *
     * Why readers may read through frozen slots and rebuild markers: a frozen slot's content was its latest value,
     * and it stays the current state of those keys until op installs the new subtree, which holds the same
     * entries. A lookup reached the slot through op (or through R, before op was installed in P) after it started,
     * so the instant the content was current lies inside the lookup's interval: get is linearizable without helping.
     *
     * ceiling/floor read several slots (the leaf of the key, then neighbours until a key is found), so they use a
     * double collect: record every slot read and the object seen, then re-read them all; if none changed, all held
     * those objects at the instant between the two passes, and since no slot on the recorded paths changed, no
     * rebuild above them installed (that would have changed the slot holding its marker or root): the answer was
     * the answer at that instant. Otherwise retry.
     */
    static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);
    /** Subtrees of at most FLAT_MAX * leaf/2 keys are built with leaf children directly. */
    static final int FLAT_MAX = 512;

    private static final int PUT = 0;
    private static final int PUT_IF_ABSENT = 1;
    private static final int REMOVE = 2;

    /**
     * The root slot, {@code top[ROOT]}, in the middle of an otherwise unused array: at least 64 bytes from anything
     * else, so that writes to neighbouring objects (such as the size counter) do not evict it from readers' caches.
     */
    private static final int ROOT = 16;
    private final Object[] top = new Object[2 * ROOT + 1];
    private final int leafCapacity;
    private final int leafFill;
    private final double rebuildFactor;
    private final LongAdder count = new LongAdder();

    InterpolationSearchTree(int leafCapacity, double rebuildFactor) {
        if (leafCapacity < 2) {
            throw new IllegalArgumentException("leaf capacity must be at least 2, got " + leafCapacity);
        }
        this.leafCapacity = leafCapacity;
        this.leafFill = Math.max(1, leafCapacity / 2);
        this.rebuildFactor = rebuildFactor;
        top[ROOT] = new long[0];
    }

    @Override
    public long get(long key) {
        Object c = SLOT.getAcquire(top, ROOT);
        for (;;) {
            if (c instanceof IstInner) {
                IstInner n = (IstInner) c;
                c = SLOT.getAcquire(n.children, n.childIndex(key));
            } else if (c instanceof long[]) {
                return IstLeaf.get((long[]) c, key);
            } else {
                c = IstRebuild.content(c);
            }
        }
    }

    @Override
    public long put(long key, long value) {
        return update(key, SkipListLongMap.checkedValue(value), PUT);
    }

    @Override
    public long putIfAbsent(long key, long value) {
        return update(key, SkipListLongMap.checkedValue(value), PUT_IF_ABSENT);
    }

    @Override
    public long remove(long key) {
        return update(key, NO_VALUE, REMOVE);
    }

    private long update(long key, long value, int mode) {
        restart:
        for (;;) {
            Object[] slots = top;
            int i = ROOT;
            for (;;) {
                Object c = SLOT.getAcquire(slots, i);
                if (c instanceof IstInner) {
                    IstInner n = (IstInner) c;
                    slots = n.children;
                    i = n.childIndex(key);
                    continue;
                }
                if (!(c instanceof long[])) {
                    IstRebuild.help(c);
                    continue restart;
                }
                long[] leaf = (long[]) c;
                int at = IstLeaf.find(leaf, key);
                long previous;
                Object replacement;
                if (at >= 0) {
                    previous = leaf[at + 1];
                    if (mode == PUT_IF_ABSENT || (mode == PUT && previous == value)) {
                        return previous;
                    }
                    replacement = mode == REMOVE ? IstLeaf.remove(leaf, at) : IstLeaf.withValue(leaf, at, value);
                } else {
                    if (mode == REMOVE) {
                        return NO_VALUE;
                    }
                    previous = NO_VALUE;
                    int pos = -at - 1;
                    replacement = leaf.length / 2 < leafCapacity
                            ? IstLeaf.insert(leaf, pos, key, value)
                            : IstLeaf.split(leaf, pos, key, value, rebuildFactor);
                }
                if (SLOT.compareAndSet(slots, i, c, replacement)) {
                    if (mode == REMOVE) {
                        count.decrement();
                    } else if (previous == NO_VALUE) {
                        count.increment();
                    } else {
                        return previous;
                    }
                    countUpdate(key);
                    return previous;
                }
            }
        }
    }

    /** Counts an insertion or removal of {@code key} in the nodes of its path; rebuilds the highest one due. */
    private void countUpdate(long key) {
        Object[] slots = top;
        int i = ROOT;
        Object c = SLOT.getAcquire(slots, i);
        while (c instanceof IstInner) {
            IstInner n = (IstInner) c;
            if (n.countUpdate()) {
                IstRebuild.start(this, slots, i, n);
                return;
            }
            slots = n.children;
            i = n.childIndex(key);
            c = SLOT.getAcquire(slots, i);
        }
    }

    /** The ideal subtree of the sorted entries {@code [from, to)} (see the algorithm comment). */
    Object buildIdeal(long[] keys, long[] values, int from, int to) {
        int n = to - from;
        if (n <= leafFill) {
            return IstLeaf.of(keys, values, from, to);
        }
        int d = n <= (long) leafFill * FLAT_MAX ? (n + leafFill - 1) / leafFill : (int) Math.ceil(Math.sqrt(n));
        long[] separators = new long[d - 1];
        Object[] children = new Object[d];
        for (int j = 0; j < d; j++) {
            int a = from + (int) ((long) j * n / d);
            int b = from + (int) ((long) (j + 1) * n / d);
            children[j] = buildIdeal(keys, values, a, b);
            if (j > 0) {
                separators[j - 1] = keys[a];
            }
        }
        return newInner(separators, children, n);
    }

    IstInner newInner(long[] separators, Object[] children, long initSize) {
        return new IstInner(separators, children, initSize, rebuildFactor);
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
        ReadLog log = new ReadLog();
        for (;;) {
            log.size = 0;
            boolean found = near(top, ROOT, key, up, log);
            if (log.unchanged()) {
                if (found) {
                    out.key = log.key;
                    out.value = log.value;
                }
                return found;
            }
        }
    }

    /** Searches slot {@code i} of {@code slots} for the nearest key at or beyond {@code key}, logging every read. */
    private static boolean near(Object[] slots, int i, long key, boolean up, ReadLog log) {
        Object c = SLOT.getAcquire(slots, i);
        log.add(slots, i, c);
        while (!(c instanceof IstInner) && !(c instanceof long[])) {
            c = IstRebuild.content(c);
        }
        if (c instanceof long[]) {
            long[] a = (long[]) c;
            int j = up ? IstLeaf.ceilingIndex(a, key) : IstLeaf.floorIndex(a, key);
            if (j < 0 || j >= a.length) {
                return false;
            }
            log.key = a[j];
            log.value = a[j + 1];
            return true;
        }
        IstInner n = (IstInner) c;
        int step = up ? 1 : -1;
        for (int j = n.childIndex(key); j >= 0 && j < n.children.length; j += step) {
            if (near(n.children, j, key, up, log)) {
                return true;
            }
        }
        return false;
    }

    /** The slots read by one pass of ceiling/floor and what each held, for the double collect. */
    private static final class ReadLog {
        Object[][] slots = new Object[16][];
        int[] index = new int[16];
        Object[] seen = new Object[16];
        int size;
        long key;
        long value;

        void add(Object[] s, int i, Object c) {
            if (size == seen.length) {
                slots = Arrays.copyOf(slots, 2 * size);
                index = Arrays.copyOf(index, 2 * size);
                seen = Arrays.copyOf(seen, 2 * size);
            }
            slots[size] = s;
            index[size] = i;
            seen[size] = c;
            size++;
        }

        boolean unchanged() {
            for (int j = 0; j < size; j++) {
                if (SLOT.getAcquire(slots[j], index[j]) != seen[j]) {
                    return false;
                }
            }
            return true;
        }
    }

    @Override
    public long rangeCount(long lo, long hi) {
        return lo > hi ? 0 : countRange(SLOT.getAcquire(top, ROOT), lo, hi);
    }

    private static long countRange(Object c, long lo, long hi) {
        while (!(c instanceof IstInner) && !(c instanceof long[])) {
            c = IstRebuild.content(c);
        }
        if (c instanceof long[]) {
            long[] a = (long[]) c;
            long n = 0;
            for (int j = IstLeaf.ceilingIndex(a, lo); j < a.length && a[j] <= hi; j += 2) {
                n++;
            }
            return n;
        }
        IstInner node = (IstInner) c;
        long n = 0;
        for (int j = node.childIndex(lo), last = node.childIndex(hi); j <= last; j++) {
            n += countRange(SLOT.getAcquire(node.children, j), lo, hi);
        }
        return n;
    }

    @Override
    public void forEachInRange(long lo, long hi, EntryVisitor action) {
        if (lo <= hi) {
            visitRange(SLOT.getAcquire(top, ROOT), lo, hi, action);
        }
    }

    private static boolean visitRange(Object c, long lo, long hi, EntryVisitor action) {
        while (!(c instanceof IstInner) && !(c instanceof long[])) {
            c = IstRebuild.content(c);
        }
        if (c instanceof long[]) {
            long[] a = (long[]) c;
            for (int j = IstLeaf.ceilingIndex(a, lo); j < a.length && a[j] <= hi; j += 2) {
                if (!action.visit(a[j], a[j + 1])) {
                    return false;
                }
            }
            return true;
        }
        IstInner node = (IstInner) c;
        for (int j = node.childIndex(lo), last = node.childIndex(hi); j <= last; j++) {
            if (!visitRange(SLOT.getAcquire(node.children, j), lo, hi, action)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public long size() {
        return count.sum();
    }

    @Override
    public String spec() {
        return "cist:leaf=" + leafCapacity + ",rebuild=" + rebuildFactor;
    }

    @Override
    public String toString() {
        return spec() + "(size=" + size() + ")";
    }

    /** Inner nodes on the path to {@code key} (for tests of the shape). */
    int depth(long key) {
        int d = 0;
        Object c = SLOT.getAcquire(top, ROOT);
        for (;;) {
            if (c instanceof IstInner) {
                IstInner n = (IstInner) c;
                d++;
                c = SLOT.getAcquire(n.children, n.childIndex(key));
            } else if (c instanceof long[]) {
                return d;
            } else {
                c = IstRebuild.content(c);
            }
        }
    }
}
