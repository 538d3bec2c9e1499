package org.scaleml.concurrent.pq;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Locale;
import org.scaleml.common.SplitMix64;

/**
 * The MultiQueue: a relaxed concurrent priority queue made of {@code n = c·T} sequential d-ary heaps, each
 * behind its own try-lock, for {@code T} threads and {@code c = config.queuesPerThread()} [1]. Optionally with
 * the temporal-locality optimizations of [3]: sticky random choices and per-handle insertion and deletion
 * buffers.
 *
 * <p><b>Operations.</b> {@code insert} puts the element into a uniformly random heap. {@code tryDeleteMin}
 * samples two heaps independently and uniformly at random, compares their published minimum priorities without
 * locking, and removes the minimum of the better one. With stickiness {@code s > 1} a handle reuses its random
 * choices for {@code s} operations; with an insertion buffer it inserts batches; with a deletion buffer it takes
 * batches of the smallest elements of a heap and returns them one by one (see the configuration record
 * {@link MultiQueueConfig}).
 *
 * <p><b>Thread safety.</b> The queue is safe for any number of concurrently used handles. Each
 * {@link ConcurrentPriorityQueue.Handle} must be used by one thread at a time; handles are cheap, hold their own
 * random generator (seeded from the queue seed and the handle's registration index, so single-threaded runs are
 * reproducible) and never share mutable state with other handles except through the heaps.
 *
 * <p><b>Progress.</b> Blocking, but never waits for one particular lock: every lock acquisition is a single
 * try-lock attempt, and a failed attempt moves on to a fresh random heap. An operation can therefore be delayed
 * only while (many) other threads hold locks; a thread preempted while holding a heap's lock delays nobody who
 * can use another heap. When its two sampled heaps both look empty, {@code tryDeleteMin} scans all heaps from a
 * random offset.
 *
 * <p><b>Relaxation.</b> A deletion may return an element that is not the minimum. For the classic algorithm
 * (stickiness 1, no buffers) the expected rank error (the number of smaller elements present) is {@code O(n)}
 * at every step, and {@code O(n log n)} with high probability, with exponentially decaying tails, in the sequential
 * process analysed by Alistarh, Kopinsky, Li and Nadiradze (PODC 2017 [2]). In the model of a long sequence of
 * deletions from heaps filled with random (or increasingly inserted) priorities, the long-run mean rank error is
 * exactly {@code 5n/6 - 1 + 1/(6n)} (Walzer and Williams, 2024 [4]); this is the reference the statistical tests
 * check (a sequential run of this class matches it within 2% for n = 2 to 16).
 * It holds for the choice made here: the two heaps are sampled <em>independently</em>, so they coincide with
 * probability {@code 1/n} (then the deletion simply takes that heap's minimum). Sampling two <em>distinct</em>
 * heaps gives a somewhat smaller error (it is 0 for {@code n = 2}), which the formula does not describe.
 * Stickiness {@code s} and buffers of sizes {@code b_i, b_d} increase the rank error roughly in proportion to
 * {@code s}, {@code b_i} and {@code b_d} [3]; concurrency adds the error caused by operations in flight.
 *
 * <p><b>Empty results.</b> As in {@link ConcurrentPriorityQueue}: {@code tryDeleteMin} returns {@code false}
 * only if the handle's own buffers were empty and every heap was observed empty (published size 0, or empty
 * under its lock) at some moment during the call.
 *
 * <p><b>Memory consistency.</b> Heaps are only mutated under their lock, acquired with a CAS and released with a
 * release store, so actions before {@code insert} happen-before actions after the {@code tryDeleteMin} that
 * returns the element — also when the element passed through an insertion or deletion buffer, because a buffer
 * is moved into a heap under that heap's lock before any other handle can see it.
 *
 * <p><b>Nulls and bounds.</b> No nulls; any {@code long} priority and payload, including
 * {@link Long#MAX_VALUE} (emptiness is decided by published sizes, never by the published top).
 *
 * <p><b>Size.</b> {@link #size()} adds the published sizes of the heaps and the published buffer occupancy of
 * every open handle with buffers (a padded per-handle counter written with opaque stores); exact when the
 * queue is quiescent.
 *
 * <p><b>Complexity.</b> With {@code m} elements per heap: {@code insert} O(log_d m) (O(1) expected for random
 * priorities), {@code tryDeleteMin} O(d log_d m), plus the expected number of failed try-locks, which is small
 * when {@code n} exceeds the number of threads. The scan of an empty-looking queue is O(n). Buffered variants
 * amortize one lock acquisition over {@code b_i} insertions or {@code b_d} deletions. Memory: 16 bytes per
 * element in the heaps plus growth slack; {@code 16·(b_i + b_d)} bytes per handle.
 */
final class MultiQueue implements ConcurrentPriorityQueue {

    /*
     * Algorithm and invariants.
     *
     * [1] H. Rihani, P. Sanders, R. Dementiev, "MultiQueues: Simple Relaxed Concurrent Priority Queues",
     *     SPAA 2015.
     * [2] D. Alistarh, J. Kopinsky, J. Li, G. Nadiradze, "The Power of Choice in Priority Scheduling", PODC 2017.
     * [3] A. Postnikova, N. Koval, G. Nadiradze, D. Alistarh, "Multi-Queues Can Be State-of-the-Art Priority
     *     Schedulers", PPoPP 2022 (arXiv:2107.01350).
     * [4] S. Walzer, M. Williams, "A Simple yet Exact Analysis of the MultiQueue", arXiv:2410.08714, 2024
     *     (ESA 2025).
     *
     * Shared state is only the array of n LockableHeaps. Each heap keeps a sequential d-ary heap behind a
     * test-and-set try-lock and publishes (release stores, under the lock) its minimum priority "top" and its
     * size "count", which other threads read with acquire loads and no lock.
     *
     * Classic algorithm ([1], handle MultiQueueClassicHandle):
     *   insert(x):  repeat { i = random heap } until tryLock(i); push x; publish; unlock.
     *   deleteMin:  repeat {
     *                 i, j = two independent uniform heaps;
     *                 if count(i) == 0 and count(j) == 0: scan (below);
     *                 k = the non-empty one, or the one with the smaller published top;
     *                 if tryLock(k): if k non-empty under the lock: pop, publish, unlock, return; else unlock;
     *               }
     *   scan:       visit every heap once, from a random offset; a heap with published count 0, or found empty
     *               under its lock, has been observed empty; a heap that looks non-empty and whose lock is
     *               acquired yields its minimum; if some heap looked non-empty but its lock was busy, the whole
     *               deleteMin starts again (so "empty" is reported only when every heap was observed empty
     *               during the call, the contract of ConcurrentPriorityQueue).
     *
     * Temporal locality ([3], handle MultiQueueTemporalHandle), any combination of:
     *   - stickiness s: the insert heap, and the pair of delete heaps, are re-used for s operations of that kind
     *     (s batches when buffered) before being drawn again; a failed try-lock or a heap found empty ends the
     *     streak at once;
     *   - insertion buffer b_i: inserts collect in a handle-local array; when it holds b_i elements they all go
     *     into one heap under one lock acquisition and one publish;
     *   - deletion buffer b_d: when empty, it is refilled with up to b_d smallest elements of the chosen heap
     *     under one lock acquisition (they come out ascending), and deletions are served from it.
     *   The handle's own insertion buffer may hold elements smaller than anything else it can see, so a deletion
     *   returns the buffered insert of minimal priority whenever it is smaller than the alternative (the head of
     *   the deletion buffer, or the better published top / the heap minimum under the lock). The insertion
     *   buffer is unsorted with its minimum's index cached: O(1) insert, O(b_i) to remove its minimum.
     *
     * Invariants:
     *   (I1) every element is in exactly one place: a heap, one handle's insertion buffer, one handle's deletion
     *        buffer, or (after a successful deleteMin) returned to exactly one caller. Moves between a heap and
     *        a buffer happen only under that heap's lock, so no element is lost or duplicated.
     *   (I2) top and count of a heap are written only by its lock holder, after every mutation and before the
     *        unlock; a published value was true at some moment. Decisions taken on published values are
     *        heuristics, re-checked under the lock (a heap that looked non-empty may be empty under the lock).
     *   (I3) a handle's buffers change only in its owner thread; flush() moves both buffers into a heap, so after
     *        every handle is flushed all elements are in the heaps again.
     *
     * Random numbers: each handle runs xorshift64* (Vigna) on a private long, seeded with SplitMix64 from
     * (queue seed, registration index). Indices in [0, n) come from Lemire's multiply-shift on 32 random bits
     * ((r32 * n) >>> 32): no division, bias at most n / 2^32, irrelevant here. One 64-bit draw gives both
     * delete choices (high and low 32 bits).
     *
     * Hot-path engineering: the classic configuration gets its own final handle class without any buffer or
     * stickiness branches; handles and heaps are padded against false sharing (handles are often allocated
     * back-to-back by one thread and then given to different threads); nothing allocates per operation; the
     * heap array and n are copied into final fields of each handle.
     */

    private static final VarHandle REGISTRATIONS;

    static {
        try {
            REGISTRATIONS = MethodHandles.lookup().findVarHandle(MultiQueue.class, "registrations", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final MultiQueueTemporalHandle[] NO_HANDLES = new MultiQueueTemporalHandle[0];

    private final LockableHeap[] heaps;
    private final MultiQueueConfig config;
    private final long seed;
    private final boolean classic;
    private final String name;

    /** Number of handles ever registered; the index seeds the handle's random generator. Via REGISTRATIONS. */
    @SuppressWarnings("unused")
    private volatile int registrations;

    /** Open handles with buffers, for {@link #size()}; copy-on-write under {@code this}. */
    private volatile MultiQueueTemporalHandle[] buffered = NO_HANDLES;

    MultiQueue(int threads, MultiQueueConfig config, long seed) {
        Checks.atLeast("threads", threads, 1);
        if (config == null) {
            throw new IllegalArgumentException("config must not be null");
        }
        long n = (long) config.queuesPerThread() * threads;
        if (n > (1 << 24)) {
            throw new IllegalArgumentException("queuesPerThread (c) * threads must be at most " + (1 << 24)
                    + ", got " + config.queuesPerThread() + " * " + threads);
        }
        checkFootprint(threads, config, n);
        this.heaps = new LockableHeap[(int) n];
        for (int i = 0; i < heaps.length; i++) {
            heaps[i] = new LockableHeap(config.arity(), 1024);
        }
        this.config = config;
        this.seed = seed;
        this.classic = config.stickiness() == 1 && config.insertBuffer() == 0 && config.deleteBuffer() == 0;
        StringBuilder sb = new StringBuilder("mq(c=").append(config.queuesPerThread()).append(",d=").append(config.arity());
        if (config.stickiness() != 1) {
            sb.append(",stick=").append(config.stickiness());
        }
        if (config.insertBuffer() != 0) {
            sb.append(",ibuf=").append(config.insertBuffer());
        }
        if (config.deleteBuffer() != 0) {
            sb.append(",dbuf=").append(config.deleteBuffer());
        }
        this.name = sb.append(')').toString();
    }

    /**
     * Refuses a configuration whose heaps (c·T of them, {@link Checks#HEAP_BYTES} each) and per-thread buffers
     * (16 bytes per element of ibuf and dbuf) do not fit {@link Checks#memoryLimit()}, before anything is allocated.
     */
    private static void checkFootprint(int threads, MultiQueueConfig config, long heapCount) {
        final long perHandle = 256;
        long heapsBytes = Checks.times(heapCount, Checks.HEAP_BYTES);
        long buffered = (long) config.insertBuffer() + config.deleteBuffer();
        long handlesBytes = Checks.times(threads, Checks.plus(perHandle, 16 * buffered));
        long total = Checks.plus(heapsBytes, handlesBytes);
        long limit = Checks.memoryLimit();
        if (total <= limit) {
            return;
        }
        long minHandles = Checks.times(threads, perHandle);
        if (heapsBytes > limit - minHandles) {
            long maxC = Math.min((limit - handlesBytes) / Checks.times(threads, Checks.HEAP_BYTES),
                    (1 << 24) / threads);
            Checks.fitsInHeap("queuesPerThread (c)", config.queuesPerThread(), total, String.format(Locale.ROOT,
                    "%d heaps for %d threads, %s each, plus buffers", heapCount, threads, Checks.bytes(Checks.HEAP_BYTES)),
                    1, maxC);
        }
        long maxBuffered = ((limit - heapsBytes) / threads - perHandle) / 16;
        Checks.fitsInHeap("insertBuffer (ibuf) + deleteBuffer (dbuf)", buffered, total, String.format(Locale.ROOT,
                "16 bytes per buffered element for each of %d threads, plus %d heaps", threads, heapCount), 0, maxBuffered);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean isRelaxed() {
        return true;
    }

    /** Number of internal heaps, {@code c·T}. */
    int heapCount() {
        return heaps.length;
    }

    @Override
    public Handle register() {
        int index = (int) REGISTRATIONS.getAndAdd(this, 1);
        long state = seedFor(seed, index);
        if (classic) {
            return new MultiQueueClassicHandle(heaps, state);
        }
        MultiQueueTemporalHandle h = new MultiQueueTemporalHandle(this, heaps, state, config.stickiness(),
                config.insertBuffer(), config.deleteBuffer());
        if (config.insertBuffer() > 0 || config.deleteBuffer() > 0) {
            synchronized (this) {
                MultiQueueTemporalHandle[] a = buffered;
                MultiQueueTemporalHandle[] b = Arrays.copyOf(a, a.length + 1);
                b[a.length] = h;
                buffered = b;
            }
        }
        return h;
    }

    /** Called by a closing handle with buffers: it holds nothing any more and leaves the size registry. */
    void deregister(MultiQueueTemporalHandle h) {
        synchronized (this) {
            MultiQueueTemporalHandle[] a = buffered;
            for (int i = 0; i < a.length; i++) {
                if (a[i] == h) {
                    MultiQueueTemporalHandle[] b = new MultiQueueTemporalHandle[a.length - 1];
                    System.arraycopy(a, 0, b, 0, i);
                    System.arraycopy(a, i + 1, b, i, a.length - i - 1);
                    buffered = b;
                    return;
                }
            }
        }
    }

    @Override
    public long size() {
        long s = 0;
        for (LockableHeap h : heaps) {
            s += h.publishedSize();
        }
        for (MultiQueueTemporalHandle h : buffered) {
            s += h.bufferedCount();
        }
        return s;
    }

    /** A non-zero xorshift state from the queue seed and a handle index (two SplitMix64 finalizer rounds). */
    static long seedFor(long seed, int index) {
        long z = SplitMix64.valueAt(seed, index);
        z = SplitMix64.mix(z ^ 0xD1B54A32D192ED03L);
        return z == 0 ? SplitMix64.GOLDEN_GAMMA : z;
    }

    @Override
    public String toString() {
        return name + "[heaps=" + heaps.length + "]";
    }
}
