package org.scaleml.concurrent.pq;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * OBIM, "ordered by integer metric": a relaxed priority queue that groups elements into buckets by
 * {@code priority >> delta} and hands them out a chunk at a time, from the lowest non-empty bucket.
 *
 * <p><b>Relaxation.</b> Buckets come out in increasing order, but within a bucket there is no order at all
 * (chunks are taken last-in first-out, and elements within a chunk too), and a handle keeps taking elements from
 * the chunk it holds even after lower buckets have appeared elsewhere (it does switch when it inserts into a lower
 * bucket itself). Elements another handle is still collecting into a chunk are invisible until that chunk is full
 * or the handle is flushed. No rank-error bound is proven; the error grows with {@code 2^delta}, with
 * {@code chunk} and with the number of handles. With {@code delta = 0} and {@code chunk = 1}
 * every insert is published at once and buckets hold one priority each, yet the queue is not linearizable as an
 * exact queue, so {@link #isRelaxed()} is always {@code true}.
 *
 * <p><b>Bucket mapping.</b> Bucket index = {@code priority >> delta}, an arithmetic shift, i.e.
 * {@code Math.floorDiv(priority, 2^delta)}: negative priorities map to negative buckets with no gap or overlap at
 * zero (with {@code delta = 3}: priorities -8..-1 go to bucket -1, 0..7 to bucket 0). The whole {@code long} range
 * is allowed, {@link Long#MIN_VALUE} and {@link Long#MAX_VALUE} included.
 *
 * <p><b>Parameters.</b> {@code delta} in {@code [0, 62]} (default {@value #DEFAULT_DELTA}: 1024 consecutive
 * priorities per bucket, a middle ground between BFS-like metrics, where 0 is best, and weighted shortest-path
 * distances, where larger shifts pay; tune it per input, as Galois does) and {@code chunk >= 1} (default
 * {@value #DEFAULT_CHUNK}).
 *
 * <p><b>Contract.</b> Everything in {@link ConcurrentPriorityQueue}: no loss, no duplication, payloads travel
 * with priorities, {@link Handle#flush()} publishes the handle's partially filled chunks and returns the
 * unreturned rest of the chunk it is taking from. {@code tryDeleteMin} returns {@code false} only if the handle
 * holds no element itself and every bucket in the bucket map was observed empty during the call.
 *
 * <p><b>Progress.</b> Insertions and deletions are lock-free (CAS loops on a bucket's chunk stack and on the
 * {@link ConcurrentSkipListMap}). {@link #size()} is exact only when quiescent.
 *
 * <p><b>Memory consistency.</b> A chunk's elements are written before the chunk is pushed onto a bucket with a
 * CAS (volatile write), and read after it is popped with a CAS / acquire read, so insert happens-before the
 * delete-min that returns the element.
 *
 * <p><b>Why one file.</b> Buckets, chunks, slots and the handle are the parts of one structure, each meaningful
 * only with the others (a handle fills chunks for the buckets and reuses the arrays of the chunks it has emptied);
 * they are small nested classes, and the algorithm comment that ties them together is a good part of the length.
 */
final class ObimQueue implements ConcurrentPriorityQueue {
    /*
     * Algorithm (after the OBIM worklist of the Galois system [1]; the relaxed-scheduler view of such queues,
     * where out-of-order tasks cost bounded extra work, is [2]).
     *
     * Shared state: a ConcurrentSkipListMap from bucket index to Bucket. A Bucket is a Treiber stack [3] of full
     * (or flushed) chunks; a chunk is an array of up to `chunk` (priority, payload) pairs. Galois keeps buckets
     * in a global ordered map plus per-thread caches of it, and so do we: the map gives "lowest non-empty
     * bucket" for any long index (a growable array indexed by bucket number cannot hold negative or huge
     * indices), and each handle caches Bucket references in a small open-addressing table so that publishing a
     * chunk costs no map lookup.
     *
     * Per-handle state: for every bucket it inserted into, one partially filled "push" chunk; one "pop" chunk it
     * is taking elements from (owned exclusively). insert appends to the push chunk of the element's bucket and
     * publishes it when full. tryDeleteMin takes from the pop chunk; when that is empty (or the handle's own
     * push chunks reach a lower bucket), it walks the map from the lowest bucket: its own push chunk of a bucket
     * strictly below the bucket being looked at is taken first (no CAS, best locality), otherwise it pops a
     * chunk from the bucket's stack; an empty bucket is retired and removed from the map. If the walk finds
     * nothing the handle's own push chunks are the last resort, and only then is "empty" reported. Within one
     * bucket, shared chunks come before the handle's own partly filled chunk (as in Galois): otherwise a handle
     * that keeps re-inserting what it takes (a scheduler re-pushing a task that is not ready) would serve its
     * own chunk forever while older elements of the same bucket wait on the shared stack.
     *
     * Retiring buckets. An empty bucket is retired by CAS-ing its stack head from null to the DEAD sentinel, and
     * only a DEAD bucket is removed from the map (remove(key, bucket), so a newer bucket under the same key is
     * never removed). A push onto a DEAD bucket fails, and the pusher re-resolves the index in the map (removing
     * the dead one and installing a fresh bucket). Invariant: every element is either in some handle's own
     * chunks or in a chunk on the stack of a live (non-DEAD) bucket, and every live bucket is in the map, since
     * it was installed there before its first push and is removed only after becoming DEAD, which requires an
     * empty stack. Hence a walk over the map that sees every bucket empty saw every shared element's bucket
     * empty (up to concurrent inserts and flushes, which the interface contract allows).
     *
     * ABA. A chunk object is pushed onto a stack at most once in its lifetime: full chunks are replaced by new
     * ones, and flush() copies an already-published pop chunk into a fresh chunk before pushing it back. So a
     * stale "head == A" can never be true again after A was popped, and the Treiber CAS is ABA-free (the garbage
     * collector does not reuse A's address while anyone still holds A).
     *
     * Recycling. A chunk's array is reused, its Chunk object never is. When a handle has taken the last element
     * of its pop chunk, nobody else can reach that array: the chunk was popped by this handle's CAS (or was its own
     * unpublished push chunk), and a thread that lost a race for it reads only its `next` field, never `data`,
     * unless its own CAS succeeds, which it cannot, since a Chunk object is pushed at most once. So the handle
     * keeps the array (up to SPARE_ARRAYS of them) and wraps it in a new Chunk for its next push chunk. This
     * keeps the Treiber stack ABA-free and saves allocating and zeroing 16 * chunk bytes per chunk, which was
     * about 14% of a 2-thread SSSP run on the New York road graph in a JFR profile.
     *
     * Counting. size() sums per-handle insert and delete counters (written by their owner with release stores)
     * plus the balance of closed handles; exact when quiescent, which is all the contract asks.
     *
     * [1] D. Nguyen, A. Lenharth, K. Pingali, "A Lightweight Infrastructure for Graph Analytics", SOSP 2013.
     * [2] D. Alistarh, T. Brown, J. Kopinsky, G. Nadiradze, "Relaxed Schedulers Can Efficiently Parallelize
     *     Iterative Algorithms", PODC 2018.
     * [3] R. K. Treiber, "Systems Programming: Coping with Parallelism", IBM RJ 5118, 1986.
     */

    /** Default shift from priority to bucket index. */
    static final int DEFAULT_DELTA = 10;
    /** Default number of elements per chunk. */
    static final int DEFAULT_CHUNK = 64;
    /** Largest accepted delta (a shift by 63 would leave only the buckets -1 and 0). */
    static final int MAX_DELTA = 62;

    private final int delta;
    private final int chunkSize;
    private final ConcurrentSkipListMap<Long, Bucket> buckets = new ConcurrentSkipListMap<>();
    /** Open handles, for size(). */
    private final ConcurrentLinkedQueue<ObimHandle> handles = new ConcurrentLinkedQueue<>();
    /** Inserts minus deletes of closed handles. */
    private final AtomicLong closedBalance = new AtomicLong();

    ObimQueue(int delta, int chunkSize) {
        this(delta, chunkSize, 1);
    }

    /**
     * @param handles how many handles will be open at once (the threads using the queue); only sizes the memory
     *                check, any number may register
     */
    ObimQueue(int delta, int chunkSize, int handles) {
        if (delta < 0 || delta > MAX_DELTA) {
            throw new IllegalArgumentException("delta must be in [0, " + MAX_DELTA + "], got " + delta);
        }
        Checks.between("chunk", chunkSize, 1, Checks.MAX_BUFFER);
        checkFootprint(chunkSize, Checks.atLeast("handles", handles, 1));
        this.delta = delta;
        this.chunkSize = chunkSize;
    }

    /**
     * Refuses a chunk size whose worst-case partly filled chunks do not fit {@link Checks#memoryLimit()}: a handle
     * may hold a push chunk for each of up to {@code MAX_SLOTS} buckets, a pop chunk and {@code SPARE_ARRAYS}
     * spare arrays, 16 bytes per element each, before anything is allocated.
     */
    private static void checkFootprint(int chunkSize, int handles) {
        long chunksPerHandle = ObimHandle.MAX_SLOTS + 1 + ObimHandle.SPARE_ARRAYS;
        long chunkBytes = 16L * chunkSize + 64;
        long total = Checks.times(handles, Checks.times(chunksPerHandle, chunkBytes));
        long maxChunk = (Checks.memoryLimit() / handles / chunksPerHandle - 64) / 16;
        Checks.fitsInHeap("chunk", chunkSize, total, String.format(Locale.ROOT,
                "up to %d chunks of %s held by each of %d handles", chunksPerHandle, Checks.bytes(chunkBytes), handles),
                1, Math.min(maxChunk, Checks.MAX_BUFFER));
    }

    @Override
    public String name() {
        return "obim(delta=" + delta + ",chunk=" + chunkSize + ")";
    }

    @Override
    public boolean isRelaxed() {
        return true;
    }

    @Override
    public Handle register() {
        ObimHandle h = new ObimHandle();
        handles.add(h);
        return h;
    }

    @Override
    public long size() {
        long n = closedBalance.get();
        for (ObimHandle h : handles) {
            n += (long) ObimHandle.INSERTED.getAcquire(h) - (long) ObimHandle.REMOVED.getAcquire(h);
        }
        return n;
    }

    /** The bucket currently installed for {@code index}, installing a fresh one if there is none or it is dead. */
    private Bucket resolve(long index) {
        Long key = index;
        for (;;) {
            Bucket b = buckets.get(key);
            if (b == null) {
                Bucket fresh = new Bucket(key);
                b = buckets.putIfAbsent(key, fresh);
                if (b == null) {
                    return fresh;
                }
            }
            if (!b.isDead()) {
                return b;
            }
            buckets.remove(key, b);
        }
    }

    /** Pushes {@code c} onto the live bucket of {@code index}, starting from a cached guess; returns the bucket. */
    private Bucket publish(long index, Bucket guess, Chunk c) {
        Bucket b = guess;
        while (b == null || !b.tryPush(c)) {
            b = resolve(index);
        }
        return b;
    }

    // ------------------------------------------------------------------------------------------------ chunks

    /** Up to {@code capacity} elements, interleaved {@code priority, payload}; unordered; owned by one thread. */
    static final class Chunk {
        final long[] data;
        int size;
        /** Next chunk on a bucket's stack; written before the publishing CAS, never afterwards. */
        Chunk next;
        /** Whether this chunk has ever been pushed onto a bucket (then it must never be pushed again: ABA). */
        boolean published;

        Chunk(int capacity) {
            data = new long[2 * capacity];
        }

        /** A chunk on a recycled array (see "Recycling" in the class comment). */
        Chunk(long[] data) {
            this.data = data;
        }

        boolean isFull() {
            return size * 2 == data.length;
        }
    }

    /** Sentinel head of a retired bucket. */
    private static final Chunk DEAD = new Chunk(0);

    /** A Treiber stack of chunks for one bucket index. */
    static final class Bucket {
        private static final VarHandle HEAD;

        static {
            try {
                HEAD = MethodHandles.lookup().findVarHandle(Bucket.class, "head", Chunk.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        final Long key;
        final long index;
        /** Top chunk, null when empty, DEAD when retired; accessed through HEAD. */
        private Chunk head;

        Bucket(Long key) {
            this.key = key;
            this.index = key;
        }

        boolean isDead() {
            return HEAD.getAcquire(this) == DEAD;
        }

        /** Pushes a chunk; false if the bucket is retired. */
        boolean tryPush(Chunk c) {
            c.published = true;
            for (;;) {
                Chunk h = (Chunk) HEAD.getAcquire(this);
                if (h == DEAD) {
                    return false;
                }
                c.next = h;
                if (HEAD.compareAndSet(this, h, c)) {
                    return true;
                }
            }
        }

        /** Pops a chunk, or returns null if the stack is empty or retired. */
        Chunk tryPop() {
            for (;;) {
                Chunk h = (Chunk) HEAD.getAcquire(this);
                if (h == null || h == DEAD) {
                    return null;
                }
                if (HEAD.compareAndSet(this, h, h.next)) {
                    h.next = null;
                    return h;
                }
            }
        }

        /** Retires the bucket if its stack is empty; true if it is (now or already) retired. */
        boolean tryRetire() {
            return HEAD.compareAndSet(this, null, DEAD) || HEAD.getAcquire(this) == DEAD;
        }
    }

    /** A handle's own chunk for one bucket, with the bucket it last published to. */
    static final class Slot {
        final long index;
        Bucket bucket;
        Chunk push;

        Slot(long index) {
            this.index = index;
        }
    }

    // ------------------------------------------------------------------------------------------------ handles

    /** A handle's counters are padded away from each other's. */
    abstract static class HandlePad {
        long p00, p01, p02, p03, p04, p05, p06, p07;
        long p08, p09, p10, p11, p12, p13, p14, p15;
    }

    abstract static class HandleCounters extends HandlePad {
        /** Elements inserted through this handle; owner writes with release, size() reads with acquire. */
        long inserted;
        /** Elements returned by this handle. */
        long removed;
    }

    abstract static class HandleCountersPad extends HandleCounters {
        long q00, q01, q02, q03, q04, q05, q06, q07;
        long q08, q09, q10, q11, q12, q13, q14, q15;
    }

    final class ObimHandle extends HandleCountersPad implements Handle {
        static final VarHandle INSERTED;
        static final VarHandle REMOVED;

        static {
            try {
                MethodHandles.Lookup l = MethodHandles.lookup();
                INSERTED = l.findVarHandle(HandleCounters.class, "inserted", long.class);
                REMOVED = l.findVarHandle(HandleCounters.class, "removed", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        /** Used-up chunk arrays a handle keeps for reuse. */
        private static final int SPARE_ARRAYS = 8;

        /** Most slots a handle keeps before it publishes all its push chunks and starts a new table. */
        private static final int MAX_SLOTS = 256;

        private long priority;
        private long payload;

        /** Open-addressing table bucket index -> Slot; capacity a power of two, at most half full. */
        private Slot[] table = new Slot[16];
        private int slotCount;
        /** The slot used by the last insert (consecutive inserts usually share a bucket). */
        private Slot last;
        /** Elements in this handle's push chunks. */
        private long localCount;
        /** A lower bound on the bucket index of any non-empty push chunk (exact after {@link #lowestLocal}). */
        private long localLow = Long.MAX_VALUE;

        /** Arrays of used-up pop chunks, for new push chunks (see "Recycling" in the class comment). */
        private final long[][] spare = new long[SPARE_ARRAYS][];
        private int spareCount;

        /** The chunk being taken from, and the bucket it came from (or belongs to). */
        private Chunk pop;
        private long popIndex;
        private Bucket popBucket;

        private boolean closed;

        @Override
        public void insert(long priority, long payload) {
            long index = priority >> delta;
            Slot s = last;
            if (s == null || s.index != index) {
                s = slot(index);
                last = s;
            }
            Chunk c = s.push;
            if (c == null) {
                c = spareCount > 0 ? new Chunk(spare[--spareCount]) : new Chunk(chunkSize);
                s.push = c;
            }
            int i = 2 * c.size;
            c.data[i] = priority;
            c.data[i + 1] = payload;
            c.size++;
            localCount++;
            if (index < localLow) {
                localLow = index;
            }
            if (c.isFull()) {
                s.push = null;
                localCount -= c.size;
                s.bucket = publish(index, s.bucket, c);
            }
            INSERTED.setRelease(this, inserted + 1);
        }

        /** This class's own compiled copy of the interface's default (see {@link Handles#insertEachThenDeleteMin}). */
        @Override
        public boolean insertAllThenDeleteMin(long[] pairs, int count) {
            return Handles.insertEachThenDeleteMin(this, pairs, count);
        }

        @Override
        public boolean tryDeleteMin() {
            Chunk c = pop;
            if (c != null && c.size > 0 && !(localCount > 0 && localLow < popIndex && lowestLocal() < popIndex)) {
                return take(c);
            }
            if (c != null) {
                if (c.size > 0) {
                    returnPopChunk(); // own pushes reached a lower bucket: give the rest back, go lower
                } else if (spareCount < spare.length) {
                    spare[spareCount++] = c.data; // used up and ours alone: keep its array for a new chunk
                }
                pop = null;
                popBucket = null;
            }
            long low = localCount > 0 ? lowestLocal() : Long.MAX_VALUE;
            for (Bucket b : buckets.values()) {
                if (localCount > 0 && low < b.index) {
                    return takeLocal(low);
                }
                Chunk got = b.tryPop();
                if (got != null) {
                    pop = got;
                    popIndex = b.index;
                    popBucket = b;
                    return take(got);
                }
                if (b.tryRetire()) {
                    buckets.remove(b.key, b);
                }
            }
            if (localCount > 0) {
                return takeLocal(low);
            }
            return false;
        }

        private boolean take(Chunk c) {
            int i = 2 * (--c.size);
            priority = c.data[i];
            payload = c.data[i + 1];
            REMOVED.setRelease(this, removed + 1);
            return true;
        }

        /** Makes this handle's own push chunk of bucket {@code index} (the lowest one it holds) its pop chunk. */
        private boolean takeLocal(long index) {
            Slot s = find(index);
            Chunk c = s.push;
            s.push = null;
            localCount -= c.size;
            pop = c;
            popIndex = index;
            popBucket = s.bucket;
            return take(c);
        }

        /** Gives the unreturned rest of the pop chunk back to its bucket (a copy if the chunk was published). */
        private void returnPopChunk() {
            Chunk c = pop;
            if (c.published) {
                Chunk copy = new Chunk(chunkSize);
                System.arraycopy(c.data, 0, copy.data, 0, 2 * c.size);
                copy.size = c.size;
                c.size = 0;
                c = copy;
            }
            publish(popIndex, popBucket, c);
        }

        /** The lowest bucket index of a non-empty push chunk; requires localCount > 0. Also tightens localLow. */
        private long lowestLocal() {
            Slot atLow = find(localLow);
            if (atLow != null && atLow.push != null) {
                return localLow;
            }
            long low = Long.MAX_VALUE;
            for (Slot s : table) {
                if (s != null && s.push != null && s.index < low) {
                    low = s.index;
                }
            }
            localLow = low;
            return low;
        }

        @Override
        public void flush() {
            if (pop != null) {
                if (pop.size > 0) {
                    returnPopChunk();
                }
                pop = null;
                popBucket = null;
            }
            if (localCount > 0) {
                flushPushChunks();
            }
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            flush();
            closed = true;
            closedBalance.addAndGet(inserted - removed);
            handles.remove(this);
        }

        @Override
        public long priority() {
            return priority;
        }

        @Override
        public long payload() {
            return payload;
        }

        // ------------------------------------------------------------------------- the handle's slot table

        private int home(long index, int mask) {
            long h = index * 0x9E3779B97F4A7C15L;
            return (int) (h ^ (h >>> 32)) & mask;
        }

        private Slot find(long index) {
            Slot[] t = table;
            for (int i = home(index, t.length - 1);; i = (i + 1) & (t.length - 1)) {
                Slot s = t[i];
                if (s == null || s.index == index) {
                    return s;
                }
            }
        }

        private Slot slot(long index) {
            Slot s = find(index);
            if (s != null) {
                return s;
            }
            if (slotCount >= MAX_SLOTS) {
                // Too many buckets touched: publish every push chunk and forget the cached buckets.
                flushPushChunks();
                table = new Slot[16];
                slotCount = 0;
                last = null;
            } else if (2 * (slotCount + 1) > table.length) {
                grow();
            }
            s = new Slot(index);
            insertSlot(table, s);
            slotCount++;
            return s;
        }

        private void flushPushChunks() {
            for (Slot s : table) {
                if (s != null && s.push != null) {
                    Chunk c = s.push;
                    s.push = null;
                    s.bucket = publish(s.index, s.bucket, c);
                }
            }
            localCount = 0;
            localLow = Long.MAX_VALUE;
        }

        private void grow() {
            Slot[] old = table;
            table = new Slot[old.length * 2];
            for (Slot s : old) {
                if (s != null) {
                    insertSlot(table, s);
                }
            }
        }

        private void insertSlot(Slot[] t, Slot s) {
            int i = home(s.index, t.length - 1);
            while (t[i] != null) {
                i = (i + 1) & (t.length - 1);
            }
            t[i] = s;
        }

        @Override
        public String toString() {
            return "obim-handle(local=" + localCount + ", popping=" + (pop == null ? 0 : pop.size) + ")";
        }
    }
}
