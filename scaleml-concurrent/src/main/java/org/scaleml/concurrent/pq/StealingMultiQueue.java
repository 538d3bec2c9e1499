package org.scaleml.concurrent.pq;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A relaxed concurrent priority queue in the style of the <em>stealing MultiQueue</em> (SMQ) of Postnikova et
 * al. [1]: one heap per thread slot, local inserts and deletes, and occasional batched work stealing of better
 * elements from a random other heap.
 *
 * <p><b>Structure.</b> The queue is built for {@code T} threads and holds {@code T} {@link LockableHeap}s, one per
 * thread slot. {@link #register()} hands out slots round-robin: handle {@code k} owns heap {@code k mod T}. With
 * at most {@code T} handles every handle has a heap of its own; with more, handles share heaps, which costs
 * speed (the owner's lock becomes contended) but not correctness.
 *
 * <p><b>Thread safety.</b> The queue is safe for any number of concurrently used handles; each handle must be
 * used by one thread at a time (hand-offs between threads need a happens-before edge, as for any non-thread-safe
 * object).
 *
 * <p><b>Progress.</b> Blocking (spin locks), but a handle only ever waits for its <em>own</em> heap's lock, and only
 * in {@code tryDeleteMin} when its steal buffer is empty; that lock is held by others only while a thief moves
 * one batch or when handles share a slot. An {@code insert} that finds the own lock busy puts the element into
 * whichever heap it can lock first. Locks of other heaps are only ever <em>tried</em> ({@code tryLock}); a failed
 * attempt moves on. {@code tryDeleteMin} on a handle whose heap and buffer are empty
 * may spin while some other heap is non-empty but locked by its holder; it never waits for a heap that is empty.
 *
 * <p><b>Relaxation.</b> Not linearizable as a priority queue: a delete returns the best element of the handle's
 * own heap and steal buffer, which may be worse than elements held in other heaps. Each delete-min compares with
 * one random other heap with probability {@code pSteal}, and a steal moves up to {@code batch} elements, so the
 * rank error grows roughly with {@code 1/pSteal}, with {@code batch} and with {@code T} (see [1] for the analysis; with
 * {@code pSteal = 1} and {@code batch = 1} the queue behaves like a two-choice MultiQueue [2] with one queue per
 * thread, {@code c = 1}, whose expected rank error is {@code O(T)}). Stolen elements are served before the own
 * heap only while they are better than its top, so a handle always returns the best element it can see locally.
 * With {@code T = 1} the queue is exact. Quality assumes insertions spread over the handles, as in [1]: if all
 * elements enter through one handle, the other handles serve their own (worse) insertions between comparisons
 * until the heaps even out; a handle whose last steal paid off compares again as soon as its buffer is used up
 * ("sticky stealing"), which limits but does not remove this effect.
 *
 * <p><b>Emptiness.</b> {@code tryDeleteMin} returns {@code false} only if the handle's steal buffer was empty and
 * every heap was observed empty at some moment during the call, exactly as {@link ConcurrentPriorityQueue}
 * documents for relaxed queues; elements sitting in <em>other</em> handles' steal buffers are not visible until
 * those handles deliver them or {@linkplain Handle#flush() flush}.
 *
 * <p><b>No loss, no duplication.</b> An element is at any time in exactly one heap or exactly one handle's steal
 * buffer (or being moved by the one thread that holds the lock of its heap). {@link Handle#flush()} and
 * {@link Handle#close()} put the buffer back into the handle's heap.
 *
 * <p><b>Memory consistency.</b> Actions of a thread before {@code insert} happen-before the actions after the
 * {@code tryDeleteMin} that returns that element in another thread: every element enters and leaves a heap under
 * its lock (CAS acquire, release-store release), and a steal buffer is touched only by its handle's thread.
 *
 * <p><b>Size.</b> {@link #size()} adds the heaps' published sizes and the handles' published steal-buffer counts.
 * It is exact when the queue is quiescent. While elements move (steal, flush) an element may briefly be counted
 * twice, never missed; an insert in progress may be missed.
 *
 * <p><b>Nulls and bounds.</b> Primitive elements, no nulls; any {@code long} priority including
 * {@link Long#MAX_VALUE}. The heaps grow without bound (memory permitting); each handle's steal buffer holds at
 * most {@code 2 * batch} elements.
 *
 * <p><b>Complexity.</b> {@code insert}: O(log_d n) worst case (O(1) expected for random priorities), where
 * {@code n} is the size of the handle's heap. {@code tryDeleteMin}: O(1) when served from the steal buffer,
 * O(d log_d n) from the own heap, plus O(batch * d log_d m) for a steal from a heap of size {@code m} (done with
 * probability {@code pSteal}, after a steal that paid off, or when the own heap is empty), plus an O(T) scan before reporting empty.
 * {@code size()}: O(T + handles). Nothing is allocated per operation.
 */
final class StealingMultiQueue implements ConcurrentPriorityQueue {

    /*
     * Algorithm and invariants
     * ========================
     *
     * [1] A. Postnikova, N. Koval, G. Nadiradze, D. Alistarh. "Multi-Queues Can Be State-of-the-Art Priority
     *     Schedulers." PPoPP 2022 (arXiv:2107.01350).
     * [2] H. Rihani, P. Sanders, R. Dementiev. "MultiQueues: Simple Relaxed Concurrent Priority Queues."
     *     SPAA 2015.
     *
     * The classic MultiQueue [2] keeps c*T shared heaps; every delete-min locks the better of two random heaps, so
     * every operation touches remote cache lines. The stealing MultiQueue [1] keeps the heaps thread-local: a
     * thread inserts into and deletes from its own heap, and only with probability p_steal compares its top with
     * the top of one random other heap, stealing a batch of elements if the other is better. Most operations
     * then touch only the thread's own memory, while the occasional comparison keeps the thread's view of "the
     * best element" close to the global minimum; [1] analyses the resulting rank error, which grows with T,
     * 1/p_steal and the batch size.
     *
     * In [1] a heap is private to its owner and each thread additionally exposes a "stealing buffer" refilled
     * by the owner and claimed by a thief with one CAS. Here the owner's heap is a LockableHeap instead (a d-ary
     * heap behind a test-and-set lock, with top priority and size published for lock-free peeking), and a
     * thief takes the victim's lock with one tryLock and pulls the batch straight from the victim's heap. This
     * keeps every stealable element in one structure (no stale buffer contents to keep consistent), lets more
     * handles than slots share a heap safely, and costs the owner one uncontended CAS per operation.
     *
     * Per handle:
     *   own       the heap of the handle's slot (heaps[slot]).
     *   buffer    the steal buffer: up to 2*batch stolen elements, private to the handle, stored as a stack
     *             sorted DESCENDING by priority, so the best element is at index count-1 and pops are O(1).
     *
     * insert(p, v): tryLock own, insert, publish, unlock. If the own lock is busy (a thief holds it, or a
     *   handle sharing the slot), do not wait for a holder that may have been preempted: take whichever heap's
     *   tryLock succeeds first, alternating random others and the own heap. Any heap is a correct home.
     *
     * tryDeleteMin():
     *   1. Steal attempt, with probability pSteal (and only if T > 1): pick a uniformly random other slot,
     *      read its published size and top without locking, and compare with the handle's local best
     *      localTop = min(buffer top, own published top). If the victim is better and its lock is free
     *      (tryLock), move its minimum elements into the buffer for as long as they are strictly better than
     *      localTop, at most batch of them and never beyond the buffer's capacity. Because every moved element
     *      is < localTop <= buffer top, pushing them (best last) keeps the buffer sorted: no merge needed.
     *      Sticky stealing (our refinement): when a steal moved elements, the handle remembers the victim and,
     *      once the buffer has drained, compares with that victim again without tossing the coin; stickiness
     *      ends when the victim is empty or no better. This matters when insertions are unbalanced (e.g. all
     *      initial work inserted through one handle): a handle whose own heap holds only poor elements keeps
     *      pulling good ones instead of serving its own between coin flips. Mean rank error with all elements
     *      prefilled into one of two heaps fell from ~520 to ~200 in a sequential replay; with balanced
     *      insertion it is unchanged (~2 for T = 2), and the extra comparisons are at most one per steal.
     *   2. Serve the better of buffer top and own top. If the buffer is non-empty and its top is <= the own
     *      heap's published top (or the own heap is published empty), pop the buffer without taking any lock.
     *      Otherwise tryLock own (if busy, pop the buffer rather than wait) and re-check under the lock: pop
     *      own if it is non-empty and better than the buffer, else unlock and pop the buffer.
     *   3. Own heap and buffer empty: try a few random victims (tryLock, steal up to batch, no priority bound),
     *      then scan every heap starting at a random one. A heap counts as "observed empty" when its published
     *      size is 0 (or it is found empty under its lock). A non-empty heap whose lock is taken resets the
     *      count, so false is returned only after T consecutive heaps, i.e. all of them, were observed empty
     *      during this call: the documented contract. The own heap, when the buffer is empty, is the only
     *      heap ever waited for (lock()); it is held by others only briefly (a thief's batch).
     *
     * flush()/close(): lock own, insert every buffered element, publish, unlock, clear the buffer.
     *
     * Invariants
     *   I1  Every element is in exactly one heap or one handle's buffer, except while a thread that holds the
     *       lock of the heap it came from (steal) or goes to (flush) moves it. Hence no loss, no duplication.
     *       (An insert that lands in another handle's heap because the own lock was busy keeps I1: it is in
     *       exactly one heap.)
     *   I2  A heap's contents change only under its lock; its published (top, count) are written only by the
     *       lock holder, with release stores, after each batch of changes and before the unlock.
     *   I3  The buffer is sorted descending and every element stolen in step 1 is < every element already in
     *       it, so push-on-top keeps I3. (Step 3 only fills an empty buffer.)
     *   I4  The buffer count is published (release store) by the owner thread only, and it is raised BEFORE a
     *       victim publishes its reduced count and cleared AFTER a flush publishes the own heap, so size() may
     *       count a moving element twice but never misses it.
     *
     * Rank error note: elements in a buffer are invisible to other handles. The buffer only receives elements
     * better than the handle's current best, so it drains first in the common case; if the owner later inserts
     * even better elements, buffered ones wait at most until the own heap's top passes them.
     *
     * Randomness: one xorshift64 generator per handle (Marsaglia 2003), seeded through splitmix64 from
     * (seed, handle index); bounded integers by Lemire's multiply-shift with rejection ("Fast random integer
     * generation in an interval", 2019). No allocation, no shared state.
     */

    private static final VarHandle BUFFERED;

    static {
        try {
            BUFFERED = MethodHandles.lookup().findVarHandle(StealingMultiQueueHandleFields.class, "buffered", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Random victims tried on the empty path before the full scan. */
    private static final int RANDOM_EMPTY_TRIES = 2;
    private static final int INITIAL_HEAP_CAPACITY = 1024;

    private final LockableHeap[] heaps;
    private final int threads;
    private final StealingConfig config;
    private final long seed;
    /** pSteal scaled to 2^53 for a comparison with 53 random bits; 2^53 means "always". */
    private final long stealThreshold;
    private final int batch;
    private final int bufferCapacity;
    private final AtomicInteger nextIndex = new AtomicInteger();
    /** Open handles, for {@link #size()}; copy-on-write under {@code this}. */
    private volatile H[] open = new H[0];

    StealingMultiQueue(int threads, StealingConfig config, long seed) {
        Checks.atLeast("threads", threads, 1);
        if (config == null) {
            throw new IllegalArgumentException("config must not be null");
        }
        this.threads = threads;
        this.config = config;
        this.seed = seed;
        this.heaps = new LockableHeap[threads];
        for (int i = 0; i < threads; i++) {
            heaps[i] = new LockableHeap(config.arity(), INITIAL_HEAP_CAPACITY);
        }
        this.stealThreshold = threads == 1 ? 0L : (long) Math.ceil(config.pSteal() * 0x1p53);
        this.batch = config.batch();
        this.bufferCapacity = 2 * config.batch();
    }

    @Override
    public String name() {
        return String.format(Locale.ROOT, "smq(d=%d,psteal=%s,batch=%d)",
                config.arity(), formatProbability(config.pSteal()), config.batch());
    }

    private static String formatProbability(double p) {
        String s = Double.toString(p);
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }

    @Override
    public boolean isRelaxed() {
        return true;
    }

    @Override
    public Handle register() {
        int index = nextIndex.getAndIncrement();
        H h = new H(Math.floorMod(index, threads), seedFor(seed, index));
        synchronized (this) {
            H[] cur = open;
            H[] next = Arrays.copyOf(cur, cur.length + 1);
            next[cur.length] = h;
            open = next;
        }
        return h;
    }

    private synchronized void deregister(H h) {
        H[] cur = open;
        for (int i = 0; i < cur.length; i++) {
            if (cur[i] == h) {
                H[] next = new H[cur.length - 1];
                System.arraycopy(cur, 0, next, 0, i);
                System.arraycopy(cur, i + 1, next, i, cur.length - i - 1);
                open = next;
                return;
            }
        }
    }

    @Override
    public long size() {
        long n = 0;
        for (LockableHeap h : heaps) {
            n += h.publishedSize();
        }
        for (H h : open) {
            n += (int) BUFFERED.getAcquire(h);
        }
        return n;
    }

    private static long seedFor(long seed, int index) {
        long s = splitmix(seed ^ splitmix(index + 0x632BE59BD9B4E019L));
        return s != 0 ? s : 0x9E3779B97F4A7C15L;
    }

    private static long splitmix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A thread's access point: its slot, its random generator and its steal buffer. */
    private final class H extends StealingMultiQueueHandlePad {

        H(int slot, long rngState) {
            this.slot = slot;
            this.own = heaps[slot];
            this.rng = rngState;
            this.buf = new long[2 * bufferCapacity];
        }

        // ---------------------------------------------------------------- randomness

        private long nextRandom() {
            long x = rng;
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            rng = x;
            return x;
        }

        /** Uniform in [0, bound), bound >= 1 (Lemire's multiply-shift with rejection on 32 random bits). */
        private int nextInt(int bound) {
            long m = (nextRandom() >>> 32) * bound;
            long low = m & 0xFFFF_FFFFL;
            if (low < bound) {
                long threshold = (0x1_0000_0000L - bound) % bound;
                while (low < threshold) {
                    m = (nextRandom() >>> 32) * bound;
                    low = m & 0xFFFF_FFFFL;
                }
            }
            return (int) (m >>> 32);
        }

        /** A uniformly random slot other than the own one. Requires threads > 1. */
        private int randomVictim() {
            int v = nextInt(threads - 1);
            return v >= slot ? v + 1 : v;
        }

        // ---------------------------------------------------------------- operations

        @Override
        public void insert(long priority, long payload) {
            LockableHeap h = own;
            if (!h.tryLock()) {
                h = lockAnyHeap();
            }
            try {
                h.insertLocked(priority, payload);
            } finally {
                h.unlock();
            }
        }

        @Override
        public boolean tryDeleteMin() {
            final long threshold = stealThreshold;
            if (threshold != 0) {
                if (stickyVictim >= 0 && count == 0) {
                    stealIfBetter(stickyVictim); // the last steal paid off and its loot is used up: look again
                } else if ((nextRandom() >>> 11) < threshold) {
                    stealIfBetter(randomVictim());
                }
            }
            final LockableHeap h = own;
            final int n = count;
            if (n > 0) {
                long bufTop = buf[2 * n - 2];
                if (h.publishedSize() == 0 || bufTop <= h.topPriority()) {
                    popBuffer(n);
                    return true;
                }
                if (!h.tryLock()) {
                    popBuffer(n); // own heap busy: the buffer is a fine answer, no need to wait
                    return true;
                }
                if (!h.isEmptyLocked() && h.minPriorityLocked() < bufTop) {
                    popOwnLockedAndUnlock(h);
                    return true;
                }
                h.unlock();
                popBuffer(n);
                return true;
            }
            h.lock();
            if (!h.isEmptyLocked()) {
                popOwnLockedAndUnlock(h);
                return true;
            }
            h.unlock();
            return deleteWhenLocalEmpty();
        }

        private void popOwnLockedAndUnlock(LockableHeap h) {
            try {
                priority = h.minPriorityLocked();
                payload = h.minPayloadLocked();
                h.removeMinLocked();
            } finally {
                h.unlock();
            }
        }

        /** Pops the buffer's best element (at index n-1). Precondition: n == count > 0. */
        private void popBuffer(int n) {
            int i = 2 * n - 2;
            priority = buf[i];
            payload = buf[i + 1];
            count = n - 1;
            BUFFERED.setRelease(this, n - 1);
        }

        /**
         * The own heap's lock is busy (a thief, or a handle sharing the slot, holds it): rather than wait for a
         * holder that may have been preempted, lock whichever heap's tryLock succeeds first, trying the own heap
         * and random others in turn. Any heap is a correct home for an inserted element.
         */
        private LockableHeap lockAnyHeap() {
            final LockableHeap h = own;
            while (true) {
                if (threads > 1) {
                    LockableHeap other = heaps[randomVictim()];
                    if (other.tryLock()) {
                        return other;
                    }
                }
                Thread.onSpinWait();
                if (h.tryLock()) {
                    return h;
                }
            }
        }

        /** Step 1: compare with one random other heap and steal from it if it is better than the local best. */
        private void stealIfBetter(int v) {
            final int n = count;
            final int room = Math.min(batch, bufferCapacity - n);
            if (room == 0) {
                return;
            }
            final LockableHeap victim = heaps[v];
            if (victim.publishedSize() == 0) {
                stickyVictim = -1;
                return;
            }
            long localTop = own.publishedSize() == 0 ? Long.MAX_VALUE : own.topPriority();
            if (n > 0) {
                localTop = Math.min(localTop, buf[2 * n - 2]);
            }
            if (victim.topPriority() >= localTop) {
                stickyVictim = -1; // not better (any more): back to coin flips
                return;
            }
            if (!victim.tryLock()) {
                return; // busy: never wait for a victim; keep any stickiness for the next delete
            }
            stickyVictim = stealLockedAndUnlock(victim, room, localTop, false) > 0 ? v : -1;
        }

        /**
         * Moves up to {@code max} minimum elements of {@code victim} (whose lock the caller holds) onto the top of
         * the buffer, each strictly better than {@code bound} unless {@code unbounded}; unlocks the victim.
         * Returns how many were moved.
         */
        private int stealLockedAndUnlock(LockableHeap victim, int max, long bound, boolean unbounded) {
            final long[] b = buf;
            final int n = count;
            int k = 0;
            try {
                int j = 2 * n;
                while (k < max && !victim.isEmptyLocked()) {
                    long p = victim.minPriorityLocked();
                    if (!unbounded && p >= bound) {
                        break;
                    }
                    b[j] = p;
                    b[j + 1] = victim.minPayloadLocked();
                    victim.removeMinLockedNoPublish();
                    j += 2;
                    k++;
                }
                if (k > 0) {
                    // Stolen ascending into [n, n+k); reverse so the best ends on top (I3).
                    for (int lo = 2 * n, hi = 2 * (n + k - 1); lo < hi; lo += 2, hi -= 2) {
                        long tp = b[lo];
                        long tv = b[lo + 1];
                        b[lo] = b[hi];
                        b[lo + 1] = b[hi + 1];
                        b[hi] = tp;
                        b[hi + 1] = tv;
                    }
                    count = n + k;
                    BUFFERED.setRelease(this, n + k); // before the victim's count drops (I4)
                    victim.publish();
                }
            } finally {
                victim.unlock();
            }
            if (k > 0) {
                steals++;
            }
            return k;
        }

        /** Step 3: own heap and buffer are empty; steal from anyone, and report empty only after a full scan. */
        private boolean deleteWhenLocalEmpty() {
            final int t = threads;
            if (t == 1) {
                return false; // the own heap, the only one, was found empty under its lock
            }
            for (int i = 0; i < RANDOM_EMPTY_TRIES; i++) {
                LockableHeap victim = heaps[randomVictim()];
                if (victim.publishedSize() != 0 && victim.tryLock()
                        && stealLockedAndUnlock(victim, batch, Long.MAX_VALUE, true) > 0) {
                    popBuffer(count);
                    return true;
                }
            }
            // Full scan. The own heap was observed empty (under its lock) at the start of this call, but it is
            // checked again in turn, since a handle sharing the slot may have filled it meanwhile.
            int i = nextInt(t);
            int emptyRun = 0;
            while (true) {
                LockableHeap victim = heaps[i];
                if (victim == own) {
                    victim.lock();
                    if (!victim.isEmptyLocked()) {
                        popOwnLockedAndUnlock(victim);
                        return true;
                    }
                    victim.unlock();
                    emptyRun++;
                } else if (victim.publishedSize() == 0) {
                    emptyRun++;
                } else if (victim.tryLock()) {
                    if (stealLockedAndUnlock(victim, batch, Long.MAX_VALUE, true) > 0) {
                        popBuffer(count);
                        return true;
                    }
                    emptyRun++; // found empty under its lock
                } else {
                    emptyRun = 0; // non-empty and busy: not observed empty, so come round again
                    Thread.onSpinWait();
                }
                if (emptyRun >= t) {
                    return false;
                }
                if (++i == t) {
                    i = 0;
                }
            }
        }

        @Override
        public void flush() {
            final int n = count;
            if (n == 0) {
                return;
            }
            final LockableHeap h = own;
            final long[] b = buf;
            h.lock();
            try {
                for (int i = n - 1; i >= 0; i--) { // best first: each sift-up stops early
                    h.insertLockedNoPublish(b[2 * i], b[2 * i + 1]);
                }
                h.publish();
            } finally {
                h.unlock();
            }
            count = 0;
            BUFFERED.setRelease(this, 0); // after the own heap published the elements (I4)
        }

        @Override
        public void close() {
            flush();
            deregister(this);
        }

        @Override
        public String toString() {
            return "smq-handle(slot=" + slot + ", buffered=" + count + ", steals=" + steals + ")";
        }
    }
}

/**
 * The per-handle state of {@link StealingMultiQueue}, written by the owning thread on every operation (only
 * {@code buffered} is read by other threads, in {@code size()}). Kept in a superclass so that the padding
 * declared in the subclass is laid out after these fields.
 */
abstract class StealingMultiQueueHandleFields extends AbstractHandle {
    /** Slot index and its heap; fixed at registration. */
    int slot;
    LockableHeap own;
    /** xorshift64 state, never 0. */
    long rng;
    /** Steal buffer, interleaved (priority, payload), sorted descending; best at index 2*(count-1). */
    long[] buf;
    /** Elements in {@link #buf}; owner-only. */
    int count;
    /** Copy of {@link #count} published for {@code size()}; written by the owner with release stores. */
    volatile int buffered;
    /** Slot whose heap the last probabilistic steal took elements from, or -1; see "sticky stealing". */
    int stickyVictim = -1;
    /** Successful steals (diagnostics, owner-only). */
    long steals;
}

/**
 * Padding after the hot fields, so that handles allocated one after another (typically all by one thread before
 * being handed out) do not share cache lines: every handle's fields are written on every operation.
 */
abstract class StealingMultiQueueHandlePad extends StealingMultiQueueHandleFields {
    long p00, p01, p02, p03, p04, p05, p06, p07;
    long p08, p09, p10, p11, p12, p13, p14, p15;
}
