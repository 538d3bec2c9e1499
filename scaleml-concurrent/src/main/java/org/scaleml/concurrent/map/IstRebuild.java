package org.scaleml.concurrent.map;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One rebuild of a subtree of the {@link InterpolationSearchTree}, shared by every thread that helps it: while it
 * runs, the parent slot that held the subtree's root {@link #old} holds this object. See the tree's algorithm
 * comment for the protocol; this class holds the three phases (freeze and count, build, install).
 */
final class IstRebuild {
    /** Subtrees of at most this many keys are rebuilt by each helper alone; larger ones are split between helpers. */
    static final long PARALLEL_MIN = 1 << 14;

    /** A frozen slot: {@link #content} is what the slot held when the rebuild {@link #op} froze it, for good. */
    static final class Frozen {
        final Object content;
        final IstRebuild op;

        Frozen(Object content, IstRebuild op) {
            this.content = content;
            this.op = op;
        }
    }

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);
    private static final VarHandle COUNT = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle FREEZE_NEXT;
    private static final VarHandle BUILD_NEXT;
    private static final VarHandle BUILT;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            FREEZE_NEXT = l.findVarHandle(IstRebuild.class, "freezeNext", int.class);
            BUILD_NEXT = l.findVarHandle(IstRebuild.class, "buildNext", int.class);
            BUILT = l.findVarHandle(IstRebuild.class, "built", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final InterpolationSearchTree tree;
    /** The root of the subtree being rebuilt. */
    final IstInner old;
    private final Object[] parent;
    private final int parentIndex;
    /** Keys under each child slot of {@link #old} once frozen, -1 until known; through {@link #COUNT}. */
    private final long[] counts;
    /** Next child slot of {@link #old} to claim for freezing, and of the new root to claim for building. */
    @SuppressWarnings("unused")
    private volatile int freezeNext;
    @SuppressWarnings("unused")
    private volatile int buildNext;
    /** The new subtree (for large rebuilds: its root, whose children are filled in by the helpers). */
    private volatile Object built;
    private volatile boolean done;

    private IstRebuild(InterpolationSearchTree tree, IstInner old, Object[] parent, int parentIndex) {
        this.tree = tree;
        this.old = old;
        this.parent = parent;
        this.parentIndex = parentIndex;
        this.counts = new long[old.children.length];
        java.util.Arrays.fill(counts, -1);
    }

    /** Starts rebuilding the subtree {@code root} held by {@code parent[index]}, unless something else has. */
    static void start(InterpolationSearchTree tree, Object[] parent, int index, IstInner root) {
        if (SLOT.getAcquire(parent, index) != root) {
            return;
        }
        IstRebuild op = new IstRebuild(tree, root, parent, index);
        if (SLOT.compareAndSet(parent, index, root, op)) {
            op.help();
        }
    }

    /** What a reader sees through a rebuild's marker: the frozen content, or the subtree being rebuilt. */
    static Object content(Object marker) {
        return marker instanceof Frozen ? ((Frozen) marker).content : ((IstRebuild) marker).old;
    }

    /** Helps the rebuild behind a marker ({@link Frozen} or {@code IstRebuild}) to completion. */
    static void help(Object marker) {
        (marker instanceof Frozen ? ((Frozen) marker).op : (IstRebuild) marker).help();
    }

    /** Runs every phase that is not known to be finished; returns once the new subtree is installed or refused. */
    void help() {
        if (done) {
            return;
        }
        Object[] slots = old.children;
        int d = slots.length;
        for (int i; (i = (int) FREEZE_NEXT.getAndAdd(this, 1)) < d; ) {
            freezeChild(i);
        }
        long n = 0;
        for (int i = 0; i < d; i++) {
            long c = (long) COUNT.getAcquire(counts, i);
            if (c < 0) {
                c = freezeChild(i);
            }
            n += c;
        }
        if (old.frozenCount() < 0) {
            old.setFrozenCount(n);
        }
        boolean parallel = n > PARALLEL_MIN;
        Object b = built;
        if (b == null) {
            b = parallel ? skeleton(n) : buildAll(n);
            if (!BUILT.compareAndSet(this, null, b)) {
                b = built;
            }
        }
        if (parallel) {
            fill((IstInner) b, n);
        }
        SLOT.compareAndSet(parent, parentIndex, this, b);
        done = true;
    }

    private long freezeChild(int i) {
        long c = freezeAndCount(freeze(old.children, i));
        COUNT.setRelease(counts, i, c);
        return c;
    }

    /** Freezes slot {@code i} (if not yet frozen, by this or any rebuild) and returns its frozen content. */
    private Object freeze(Object[] slots, int i) {
        for (;;) {
            Object c = SLOT.getAcquire(slots, i);
            if (c instanceof Frozen) {
                return ((Frozen) c).content;
            }
            if (SLOT.compareAndSet(slots, i, c, new Frozen(c, this))) {
                return c;
            }
        }
    }

    /** Freezes every slot below {@code c} and returns the number of keys there. */
    private long freezeAndCount(Object c) {
        if (c instanceof long[]) {
            return ((long[]) c).length / 2;
        }
        if (c instanceof IstRebuild) {
            // a nested rebuild whose slot we froze: it can no longer install; its old subtree is the content
            return freezeAndCount(((IstRebuild) c).old);
        }
        IstInner node = (IstInner) c;
        long known = node.frozenCount();
        if (known >= 0) {
            return known;
        }
        long n = 0;
        for (int i = 0; i < node.children.length; i++) {
            n += freezeAndCount(freeze(node.children, i));
        }
        node.setFrozenCount(n);
        return n;
    }

    /** Keys under frozen content {@code c} (every slot below it is frozen). */
    private static long count(Object c) {
        if (c instanceof long[]) {
            return ((long[]) c).length / 2;
        }
        if (c instanceof IstRebuild) {
            return count(((IstRebuild) c).old);
        }
        return ((IstInner) c).frozenCount();
    }

    /**
     * Copies the entries of ranks {@code [from, to)} of the frozen subtree {@code c}, whose first entry has rank
     * {@code base}, to {@code keys/values[rank - from]}.
     */
    private static void copy(Object c, long base, long from, long to, long[] keys, long[] values) {
        if (c instanceof IstRebuild) {
            c = ((IstRebuild) c).old;
        }
        if (c instanceof long[]) {
            long[] a = (long[]) c;
            long first = Math.max(from, base);
            long last = Math.min(to, base + a.length / 2);
            for (long r = first; r < last; r++) {
                int j = (int) (2 * (r - base));
                keys[(int) (r - from)] = a[j];
                values[(int) (r - from)] = a[j + 1];
            }
            return;
        }
        IstInner node = (IstInner) c;
        long b = base;
        for (int i = 0; i < node.children.length && b < to; i++) {
            Object child = ((Frozen) SLOT.getAcquire(node.children, i)).content;
            long n = count(child);
            if (b + n > from) {
                copy(child, b, from, to, keys, values);
            }
            b += n;
        }
    }

    /** The whole new subtree, built by this helper alone. */
    private Object buildAll(long n) {
        long[] keys = new long[(int) n];
        long[] values = new long[(int) n];
        copy(old, 0, 0, n, keys, values);
        return tree.buildIdeal(keys, values, 0, (int) n);
    }

    /** The new root of a large rebuild: ceil(sqrt(n)) children, empty slots to be filled by {@link #fill}. */
    private IstInner skeleton(long n) {
        int d = (int) Math.ceil(Math.sqrt((double) n));
        long[] separators = new long[d - 1];
        long[] one = new long[1];
        long[] unused = new long[1];
        for (int j = 1; j < d; j++) {
            long rank = j * n / d;
            copy(old, 0, rank, rank + 1, one, unused);
            separators[j - 1] = one[0];
        }
        return tree.newInner(separators, new Object[d], n);
    }

    /** Builds the children of the skeleton: claimed one by one, then any still missing (its builder may be slow). */
    private void fill(IstInner root, long n) {
        int d = root.children.length;
        for (int j; (j = (int) BUILD_NEXT.getAndAdd(this, 1)) < d; ) {
            buildChild(root, j, n);
        }
        for (int j = 0; j < d; j++) {
            if (SLOT.getAcquire(root.children, j) == null) {
                buildChild(root, j, n);
            }
        }
    }

    private void buildChild(IstInner root, int j, long n) {
        int d = root.children.length;
        long from = j * n / d;
        long to = (j + 1) * n / d;
        int len = (int) (to - from);
        long[] keys = new long[len];
        long[] values = new long[len];
        copy(old, 0, from, to, keys, values);
        SLOT.compareAndSet(root.children, j, null, tree.buildIdeal(keys, values, 0, len));
    }
}
