package org.scaleml.concurrent.pq;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.scaleml.common.SplitMix64;

/**
 * A relaxed concurrent priority queue after the <em>stealing MultiQueue</em> (SMQ) of Postnikova et al. [1]:
 * every handle works on a heap of its own, publishes its best few elements in a small <em>stealing buffer</em>,
 * and now and then compares with another handle's buffer and takes it, whole, with one CAS if it holds better
 * elements.
 *
 * <p><b>Structure.</b> Every {@linkplain #register() registered} handle gets a slot of its own in a growable
 * registry: a d-ary heap and a stealing buffer of up to {@code batch} elements. The {@code threads} argument is
 * only a sizing hint; any number of handles may be open. A slot outlives its handle: {@link Handle#close()}
 * leaves the slot's elements in place, visible to everybody, and the next {@code register()} adopts a closed slot
 * (with whatever it still holds) before it creates a new one.
 *
 * <p><b>Thread safety.</b> The queue is safe for any number of concurrently used handles; each handle must be
 * used by one thread at a time (hand-offs between threads need a happens-before edge, as for any
 * non-thread-safe object).
 *
 * <p><b>Progress.</b> Blocking (spin locks), but a handle only ever waits for its <em>own</em> heap's lock. The
 * owner locks its heap for each operation (one uncontended CAS on a line nobody else writes in the common case).
 * Other handles take elements through the stealing buffer, lock-free, and lock someone else's heap only with a
 * single {@code tryLock}, only when that heap's buffer is empty, i.e. when its owner is between operations and
 * has not refilled it (it was just taken, or the owner is stalled or gone). So the owner waits only while such a
 * thief moves one batch. {@code tryDeleteMin} on a handle holding nothing may spin while some other heap is
 * non-empty but locked; it never waits for a heap that is empty.
 *
 * <p><b>Relaxation.</b> Not linearizable as a priority queue. A delete returns the best element among the
 * handle's own heap, its own stealing buffer and its private buffer of taken elements; with probability
 * {@code pSteal} (and again as soon as the loot of a profitable steal is used up) it first compares that with one
 * other slot's buffer top and takes the whole buffer if it is better. Rank error grows with {@code 1/pSteal},
 * {@code batch} and the number of handles (see [1]); with one handle the queue is exact. A thread that stalls
 * (descheduled, slow) keeps at most its private buffer hidden: its buffer and, between its operations, its heap
 * stay available to the others. Measured figures are in the class comment.
 *
 * <p><b>Emptiness.</b> {@code tryDeleteMin} returns {@code false} only if the caller's heap, stealing buffer and
 * private buffer were empty and, during the call, every other slot's stealing buffer and heap were observed empty
 * (a heap: published size 0, or found empty under its lock), exactly the rule of {@link ConcurrentPriorityQueue}
 * for relaxed queues; elements in <em>other</em> handles' private buffers (at most {@code 2 * batch} per handle)
 * are not visible until those handles use them or {@linkplain Handle#flush() flush}. Every owner operation ends
 * with a full stealing buffer whenever its heap is non-empty.
 *
 * <p><b>No loss, no duplication.</b> At any time every element is in exactly one heap, one full stealing buffer
 * or one handle's private buffer, or is being moved by the one thread that took it out (see the invariants in the
 * class comment). {@link Handle#flush()} and {@link Handle#close()} move the private buffer back into the heap.
 *
 * <p><b>Memory consistency.</b> Actions of a thread before {@code insert} happen-before the actions after the
 * {@code tryDeleteMin} that returns that element in another thread: an element leaves its owner's hands only
 * through a stealing buffer (published with a release store, claimed with a CAS after an acquire load) or
 * through a heap lock (CAS acquire, release store).
 *
 * <p><b>Size.</b> {@link #size()} adds, per slot, the heap's published size, the buffer's count if it is full
 * and the owner's published private-buffer count. It is exact when the queue is quiescent; while elements move it
 * may be off by up to one batch per moving thread.
 *
 * <p><b>Nulls and bounds.</b> Primitive elements, no nulls; any {@code long} priority including
 * {@link Long#MAX_VALUE}. Heaps grow without bound (memory permitting); a stealing buffer holds at most
 * {@code batch} elements and a private buffer at most {@code 2 * batch}.
 *
 * <p><b>Complexity.</b> {@code insert}: O(log_d n) worst case (O(1) expected for random priorities), where
 * {@code n} is the size of the handle's heap, plus a refill of the stealing buffer (O(batch d log_d n)) when it
 * was taken. {@code tryDeleteMin}: O(1) from the private buffer, O(d log_d n) from the heap; once per
 * {@code batch} deletes served from the own buffer, one CAS and a refill; with probability {@code pSteal}, one
 * remote read and possibly a CAS and an O(batch) copy and merge; O(handles) for the scan before reporting
 * empty. {@code size()}: O(handles). Nothing is allocated per operation ({@code register()} allocates a slot
 * when there is none to adopt).
 *
 * <p><b>Why one file.</b> The queue, its handle and the padded field classes at the end implement one protocol
 * (owner, thieves, buffer hand-off) whose invariants the class comment states once; the handle is an inner class
 * because every step of it reads the queue's slots. About a third of the file is that documentation.
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
     * [3] H.-J. Boehm. "Can Seqlocks Get Along With Programming Language Memory Models?" MSPC 2012.
     *
     * The classic MultiQueue [2] keeps c*T shared heaps and locks the better of two random ones per delete, so
     * every operation touches remote cache lines. The stealing MultiQueue [1] gives each thread a heap of its
     * own and lets the others see a small "stealing buffer" of the owner's best elements. A thread inserts into
     * and deletes from its own heap; with probability p_steal a delete first compares its best element with the
     * buffer top of a random other thread and, if that is better, takes the whole buffer with one CAS.
     *
     * Departure from [1], on purpose: in [1] the heap is strictly thread-local. Here the owner still locks its
     * heap for each operation (an uncontended CAS), so that the heap of a thread that is between operations -
     * descheduled, slow, or done - stays reachable. With a strictly private heap, a stalled owner hides all of
     * its elements except one batch, and the running thread races ahead: in a single-threaded simulation that
     * runs two handles in random bursts of mean length L (a model of unequal progress; 2 handles, hold workload,
     * defaults), the strictly private variant had mean rank error 2.5 / 6 / 485 / 3107 for L = 1 / 10 / 100 /
     * 1000, this design 2.5 / 4.6 / 9.2 / 11.4; on a shared 2-core machine descheduling is common. Thieves
     * still never contend for the lock in the common case: they take the buffer, and try the heap lock only
     * when the buffer is empty. (The previous version had no buffer: thieves tryLock-ed the victim's heap for
     * every steal, failed most of the time at two real threads because the owner held it, and held it while
     * popping; mean rank error 10^2 to 10^4.)
     *
     * Per slot (StealingMultiQueueSlot) and per handle (H):
     *   H        the slot's heap (a LockableHeap: d-ary heap, test-and-set lock, published top and size).
     *            Locked by the owner for every operation; by a thief only with tryLock, only when S is empty.
     *   S        the stealing buffer: up to `batch` elements, ascending, plus a 64-bit state word. Odd = full
     *            (claimable), even = empty. Only the owner makes it odd (refill: write elements, top, count,
     *            then release-store state+1, having read the even state with an acquire load); anyone makes it
     *            even with CAS(full, full+1): a thief to take it, the owner to take its own buffer back.
     *   P        the handle's private buffer (invisible to others): up to 2*batch elements, a stack sorted
     *            descending so the best is on top. It receives claimed buffers (stolen or reclaimed) and
     *            batches taken from heaps; merging into a full P moves P's worst elements into the own H.
     *
     * Owner operations (under the own heap's lock; ties prefer P, then H, so no CAS is spent on an equal element):
     *   insert(p, v):  H.insert. If S is empty, refill it from H's minimum elements. If S is full but short
     *                  (H had fewer than `batch` elements at the last refill), take it back into H and refill,
     *                  so thieves see up to a full batch (a CAS per insert only while the owner holds fewer than
     *                  `batch` elements).
     *   tryDeleteMin:  1. Steal attempt, with probability p_steal or, "sticky", whenever P is empty and the last
     *                     steal paid off (then from the same victim): if the victim's S is full and its published
     *                     top is better than the local best min(P, S, H), claim it into P. If the victim's S is
     *                     empty and its heap's published top is better, tryLock that heap and move up to `batch`
     *                     elements better than the local best into P. Stickiness ends when the victim is not
     *                     better; a lost race (failed CAS or tryLock) keeps it.
     *                  2. If the own S is full and strictly better than P's and H's tops, take it back with one
     *                     CAS into P (if a thief won the race, it is simply gone).
     *                  3. Return the better of P's top and H's top.
     *                  4. If S is empty and H is not, refill S (invariant I4).
     *                  In the steady state the owner drains P, finds S best, reclaims it (one CAS per `batch`
     *                  deletes) and refills it with the next `batch` elements of H, so others always see the
     *                  owner's next-best batch.
     *   Empty path:    P, S and H are empty; unlock H and scan every other slot from a random start: claim a full
     *                  S; tryLock a non-empty heap and take up to `batch` elements. Report false after `slots`
     *                  consecutive slots were observed empty (S even, and H of published size 0 or found empty
     *                  under its lock). A non-empty heap whose lock is busy resets the count (its owner or a
     *                  thief is at work; come round again).
     *   flush():       lock H, put P into it, refill S if it is empty, publish, unlock.
     *   close():       flush(), then mark the slot adoptable. register() adopts a closed slot (CAS on `owned`)
     *                  before it appends a new one, so a scheduler that closes its workers' handles and then
     *                  drains with a fresh handle inherits one slot with its elements and the rest stay
     *                  reachable as above; the registry does not grow with repeated register/close cycles.
     *
     * Why a thief's copy is consistent (S is a seqlock [3] whose "write lock" is the even state):
     *   A thief reads state s (acquire) and sees it odd, reads count and copies the elements with plain loads,
     *   then CAS(s, s+1). The owner writes the array only after it read an even state with an acquire load, and
     *   publishes with a release store of an odd state; states only grow, by one per transition, so there is no
     *   ABA on a 64-bit counter. If the thief's CAS succeeds, the state was s from the thief's acquire load to its
     *   CAS: (i) the writes of the published elements happen-before that acquire load, so the copy can see them;
     *   (ii) any later write of the array is made by the owner after an acquire load of a state >= s+1, which only
     *   this CAS (a release) produced from s, so the thief's loads, program-ordered before its CAS, happen-before
     *   every later write and cannot see it. Hence the copy is exactly the published buffer. If the CAS fails,
     *   the copy (possibly torn) is discarded. The owner reclaiming its own buffer needs no copy before its CAS:
     *   once it has won, only the owner writes the array. This is the epoch-tagged buffer of [1] in optimistic
     *   form: the owner may overwrite a buffer a thief is copying, but the thief then never uses the copy.
     *
     * Invariants
     *   I1  Every element is in exactly one of: an H, a full S (state odd; `count` elements), a P; or held by
     *       the one thread moving it (the winner of a claim CAS until its merge into P; the holder of a heap's
     *       lock between popping and publishing). A full S is claimed by exactly one successful CAS, so its
     *       elements go to exactly one P. Hence no loss, no duplication.
     *   I2  S's array, top and count are written only by the slot's owner, only while the state is even; the
     *       state becomes odd only by the owner's release store.
     *   I3  H changes only under its lock, and (top, size) are published before the unlock.
     *   I4  At the end of every owner operation: H non-empty => S full. (A thief may empty S right after; the
     *       owner restores I4 at its next operation, and meanwhile H is reachable through its lock.)
     *   I5  P is sorted descending and holds at most 2*batch elements; merging into P needs the own heap's lock
     *       only when it overflows, which cannot happen on the empty path (P empty, at most `batch` incoming).
     *   I6  With one handle nothing is ever stolen and every delete returns min(P, S, H): exact. (When S is
     *       best, the next batch is popped from H into `stage` first, then S is reclaimed into P and `stage`
     *       published as the new S: S is empty only while two batches are copied, not while H is popped; an
     *       earlier draft reclaimed first and thieves found S empty in about 70% of their looks.)
     *   Locks: a thread holds at most its own heap's lock plus one tryLock-ed other heap; only the own lock is
     *   ever waited for, and never while holding another: no deadlock.
     *
     * Measured (2 threads, hold workload: insert(last + 1 + U[0, 2^16)) then delete, 50k prefill per thread,
     * defaults; shared 2-core machine; median over runs of the mean rank error of the second half of each run,
     * timestamp replay as in StealingMultiQueueRelaxationTest): this design ~3, classic mq(c=2) ~2.5, the
     * previous lock-based design 350-500. Descheduling of a thread inside an operation still hides its heap for
     * the length of the time slice; every design (mq included) then degrades to means in the thousands.
     *
     * Randomness: one xorshift64 generator per handle (Marsaglia 2003), seeded through splitmix64 from
     * (seed, handle index); bounded integers by Lemire's multiply-shift with rejection ("Fast random integer
     * generation in an interval", 2019). No allocation, no shared state.
     */

    private static final int INITIAL_HEAP_CAPACITY = 1024;

    private final int threads;
    private final StealingConfig config;
    private final long seed;
    /** pSteal scaled to 2^53 for a comparison with 53 random bits; 2^53 means "always", 0 "never". */
    private final long stealThreshold;
    private final int batch;
    private final int privCapacity;
    private final AtomicInteger nextIndex = new AtomicInteger();
    /** Every slot ever created, in creation order; copy-on-write under {@code this}. */
    private volatile StealingMultiQueueSlot[] slots = new StealingMultiQueueSlot[0];

    StealingMultiQueue(int threads, StealingConfig config, long seed) {
        Checks.atLeast("threads", threads, 1);
        if (config == null) {
            throw new IllegalArgumentException("config must not be null");
        }
        checkFootprint(threads, config.batch());
        this.threads = threads;
        this.config = config;
        this.seed = seed;
        this.stealThreshold = (long) Math.ceil(config.pSteal() * 0x1p53);
        this.batch = config.batch();
        this.privCapacity = 2 * config.batch();
    }

    /** Bytes per batch element for one thread: its slot's buffer and its handle's four arrays (2+4+2+2+6 longs). */
    private static final long BYTES_PER_BATCH_ELEMENT = 16L * Long.BYTES;

    /**
     * Refuses a batch whose per-thread buffers, with one heap per thread, do not fit {@link Checks#memoryLimit()}
     * for {@code threads} handles, before anything is allocated.
     */
    private static void checkFootprint(int threads, int batch) {
        long perThread = Checks.plus(Checks.HEAP_BYTES + 1024, Checks.times(batch, BYTES_PER_BATCH_ELEMENT));
        long total = Checks.times(threads, perThread);
        long maxBatch = (Checks.memoryLimit() / threads - Checks.HEAP_BYTES - 1024) / BYTES_PER_BATCH_ELEMENT;
        Checks.fitsInHeap("batch", batch, total, String.format(Locale.ROOT,
                "%d threads, each with a heap and %d bytes per batch element", threads, BYTES_PER_BATCH_ELEMENT),
                1, maxBatch);
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
        StealingMultiQueueSlot slot = null;
        for (StealingMultiQueueSlot s : slots) {
            if (s.tryAdopt()) {
                slot = s;
                break;
            }
        }
        if (slot == null) {
            slot = addSlot();
        }
        return new H(slot, seedFor(seed, index));
    }

    private synchronized StealingMultiQueueSlot addSlot() {
        StealingMultiQueueSlot[] cur = slots;
        StealingMultiQueueSlot s = new StealingMultiQueueSlot(cur.length, config.arity(), batch, INITIAL_HEAP_CAPACITY);
        StealingMultiQueueSlot[] next = Arrays.copyOf(cur, cur.length + 1);
        next[cur.length] = s;
        slots = next;
        return s;
    }

    @Override
    public long size() {
        long n = 0;
        for (StealingMultiQueueSlot s : slots) {
            n += s.heap.publishedSize();
            if (StealingMultiQueueSlot.isFull(s.stateAcquire())) {
                n += s.countOpaque();
            }
            n += s.privCountAcquire();
        }
        return n;
    }

    /** Number of slots created so far (diagnostics and tests). */
    int slotCount() {
        return slots.length;
    }

    /** Sizing hint given at construction. */
    int threadsHint() {
        return threads;
    }

    private static long seedFor(long seed, int index) {
        // valueAt(x, 0) is the first SplitMix64 output from state x: mix(x + GOLDEN_GAMMA).
        long s = SplitMix64.valueAt(seed ^ SplitMix64.valueAt(index + 0x632BE59BD9B4E019L, 0), 0);
        return s != 0 ? s : SplitMix64.GOLDEN_GAMMA;
    }

    /** A thread's access point: its slot, its random generator, its private buffer and scratch space. */
    private final class H extends StealingMultiQueueHandlePad {

        H(StealingMultiQueueSlot slot, long rngState) {
            this.slot = slot;
            this.heap = slot.heap;
            this.sbuf = slot.buffer;
            this.rng = rngState;
            this.priv = new long[2 * privCapacity];
            this.loot = new long[2 * batch];
            this.stage = new long[2 * batch];
            this.scratch = new long[2 * (privCapacity + batch)];
            // An adopted slot may hold a full buffer: take over its published top and count.
            long s = slot.stateAcquire();
            if (StealingMultiQueueSlot.isFull(s)) {
                this.ownTop = slot.topOpaque();
                this.ownCount = slot.countOpaque();
            }
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

        // ---------------------------------------------------------------- ownership of the heap

        /** Locks the own heap: one uncontended CAS unless a thief is moving one batch out of it. */
        private void lockOwn(LockableHeap h) {
            if (!h.tryLock()) {
                h.lock();
            }
        }

        // ---------------------------------------------------------------- operations

        @Override
        public void insert(long priority, long payload) {
            final LockableHeap h = heap;
            lockOwn(h);
            h.insertLockedNoPublish(priority, payload);
            afterInsertLocked();
            h.publish();
            h.unlock();
        }

        /** After insertions into the own (locked) heap: keep the stealing buffer full, with a whole batch. */
        private void afterInsertLocked() {
            long s = slot.stateAcquire();
            if (!StealingMultiQueueSlot.isFull(s)) {
                refill(s);
            } else if (ownCount < batch) {
                topUp(s);
            }
        }

        @Override
        public boolean tryDeleteMin() {
            final LockableHeap h = heap;
            lockOwn(h);
            return deleteMinLocked(h);
        }

        /** Both operations under one acquisition of the own heap's lock (see the interface). */
        @Override
        public boolean insertAllThenDeleteMin(long[] pairs, int count) {
            Objects.checkFromIndexSize(0, 2 * count, pairs.length);
            final LockableHeap h = heap;
            lockOwn(h);
            if (count > 0) {
                for (int i = 0; i < count; i++) {
                    h.insertLockedNoPublish(pairs[2 * i], pairs[2 * i + 1]);
                }
                afterInsertLocked();
            }
            return deleteMinLocked(h);
        }

        /** tryDeleteMin with the own heap's lock held; releases it. */
        private boolean deleteMinLocked(LockableHeap h) {
            if (stealThreshold != 0) {
                if (sticky >= 0 && pc == 0) {
                    stealIfBetter(slots, sticky); // the last steal paid off and its loot is used up: look again
                } else if ((nextRandom() >>> 11) < stealThreshold) {
                    StealingMultiQueueSlot[] ss = slots;
                    if (ss.length > 1) {
                        int v = nextInt(ss.length - 1);
                        stealIfBetter(ss, v >= slot.index ? v + 1 : v);
                    }
                }
            }
            long s = slot.stateAcquire();
            if (StealingMultiQueueSlot.isFull(s)) {
                // Step 2: take the own buffer back if it is strictly better than P's and H's tops.
                final long t = ownTop;
                if ((pc == 0 || t < priv[2 * pc - 2]) && (h.isEmptyLocked() || t < h.minPriorityLocked())) {
                    // Prepare the next batch first, so the buffer is empty only while two batches are copied.
                    final int m = popBatch(stage);
                    if (slot.reclaim(s)) {
                        absorb(sbuf, StealingMultiQueueSlot.OFFSET, ownCount);
                        if (m > 0) {
                            publishFrom(stage, m, s + 1);
                            s += 2;
                        } else {
                            s++;
                        }
                    } else {
                        absorb(stage, 0, m); // a thief took the buffer: the batch is ours to serve
                        s++;
                    }
                }
            }
            // Step 3: the better of P and H.
            final int n = pc;
            if (n > 0 && (h.isEmptyLocked() || priv[2 * n - 2] <= h.minPriorityLocked())) {
                popPriv(n);
            } else if (!h.isEmptyLocked()) {
                priority = h.minPriorityLocked();
                payload = h.minPayloadLocked();
                h.removeMinLockedNoPublish();
            } else {
                return deleteWhenLocalEmpty();
            }
            // Step 4: keep I4 (H non-empty => S full).
            if (!StealingMultiQueueSlot.isFull(s) || !StealingMultiQueueSlot.isFull(s = slot.stateAcquire())) {
                refill(s);
            }
            h.publish();
            h.unlock();
            return true;
        }

        /** Pops P's best element. Precondition: n == pc > 0. */
        private void popPriv(int n) {
            int i = 2 * n - 2;
            priority = priv[i];
            payload = priv[i + 1];
            pc = n - 1;
            slot.publishPrivCount(n - 1);
        }

        /**
         * Refills the empty own buffer (state {@code emptyState}, even, read with acquire) with up to
         * {@code batch} minimum elements of H; does nothing if H is empty.
         */
        private void refill(long emptyState) {
            final int n = popBatch(stage);
            if (n > 0) {
                publishFrom(stage, n, emptyState);
            }
        }

        /** Pops up to {@code batch} minimum elements of the own heap into {@code dst}, ascending; returns how many. */
        private int popBatch(long[] dst) {
            final LockableHeap h = heap;
            final int n = Math.min(batch, h.sizeLocked());
            for (int i = 0, j = 0; i < n; i++, j += 2) {
                dst[j] = h.minPriorityLocked();
                dst[j + 1] = h.minPayloadLocked();
                h.removeMinLockedNoPublish();
            }
            return n;
        }

        /** Copies {@code n >= 1} ascending elements into the own empty buffer and publishes them (I2). */
        private void publishFrom(long[] src, int n, long emptyState) {
            System.arraycopy(src, 0, sbuf, StealingMultiQueueSlot.OFFSET, 2 * n);
            ownTop = src[0];
            ownCount = n;
            slot.publish(emptyState, n);
        }

        /** The own buffer is full but short (fewer than batch) and H has more: take it back and refill it. */
        private void topUp(long fullState) {
            final LockableHeap h = heap;
            if (slot.reclaim(fullState)) {
                final long[] b = sbuf;
                for (int i = 0, j = StealingMultiQueueSlot.OFFSET; i < ownCount; i++, j += 2) {
                    h.insertLockedNoPublish(b[j], b[j + 1]);
                }
            }
            refill(fullState + 1);
        }

        /** The best element held locally (P, own S, H; the caller holds the own heap's lock); MAX_VALUE if none. */
        private long localBest() {
            long best = heap.minPriorityLocked(); // MAX_VALUE when empty
            if (pc > 0) {
                best = Math.min(best, priv[2 * pc - 2]);
            }
            if (StealingMultiQueueSlot.isFull(slot.stateAcquire())) {
                best = Math.min(best, ownTop);
            }
            return best;
        }

        private boolean holdsNothing() {
            return pc == 0 && heap.isEmptyLocked() && !StealingMultiQueueSlot.isFull(slot.stateAcquire());
        }

        /** Step 1: compare with slot v and take its buffer (or, if that is empty, a batch of its heap) if better. */
        private void stealIfBetter(StealingMultiQueueSlot[] ss, int v) {
            final StealingMultiQueueSlot victim = ss[v];
            final long s = victim.stateAcquire();
            if (StealingMultiQueueSlot.isFull(s)) {
                long best = localBest();
                if (victim.topOpaque() < best || (best == Long.MAX_VALUE && holdsNothing())) {
                    int k = victim.claim(s, loot);
                    if (k > 0) {
                        absorb(loot, 0, k);
                        steals++;
                        sticky = v;
                    }
                    return; // a failed claim: someone else took it or it was refilled; keep any stickiness
                }
                sticky = -1;
                return;
            }
            final LockableHeap vh = victim.heap;
            if (vh.publishedSize() != 0) {
                long best = localBest();
                if (vh.topPriority() < best) {
                    if (vh.tryLock()) {
                        sticky = takeFromHeapAndUnlock(vh, best, false) > 0 ? v : -1;
                    }
                    return;
                }
            }
            sticky = -1;
        }

        /**
         * Moves up to {@code batch} minimum elements of the released heap {@code vh} (whose lock the caller holds)
         * into P, each strictly better than {@code bound} unless {@code unbounded}; unlocks. Returns the count.
         */
        private int takeFromHeapAndUnlock(LockableHeap vh, long bound, boolean unbounded) {
            final long[] b = loot;
            int k = 0;
            try {
                while (k < batch && !vh.isEmptyLocked()) {
                    long p = vh.minPriorityLocked();
                    if (!unbounded && p >= bound) {
                        break;
                    }
                    b[2 * k] = p;
                    b[2 * k + 1] = vh.minPayloadLocked();
                    vh.removeMinLockedNoPublish();
                    k++;
                }
                if (k > 0) {
                    absorb(b, 0, k); // into P (and the own H, which only the caller touches) before the victim
                    vh.publish();    // publishes its smaller size: size() may count these twice, never zero times
                }
            } finally {
                vh.unlock();
            }
            if (k > 0) {
                steals++;
            }
            return k;
        }

        /**
         * Merges {@code n} elements of {@code src}, ascending from {@code off}, into P. If the result exceeds P's
         * capacity, P's worst elements go into the own heap (which the caller holds). Keeps I5.
         */
        private void absorb(long[] src, int off, int n) {
            final long[] p = priv;
            final int pn = pc;
            if (pn == 0) { // the common case (P used up): no merge, src reversed is P (n <= batch <= capacity)
                for (int e = 0, d = n - 1; e < n; e++, d--) {
                    p[2 * d] = src[off + 2 * e];
                    p[2 * d + 1] = src[off + 2 * e + 1];
                }
                pc = n;
                slot.publishPrivCount(n);
                return;
            }
            final long[] m = scratch;
            // Merge P (descending in p[0, 2pn): ascending when read from the top down) with src into m ascending.
            int i = pn - 1; // next element of P, from its best
            int j = 0;      // next element of src
            int k = 0;
            while (i >= 0 && j < n) {
                long a = p[2 * i];
                long c = src[off + 2 * j];
                if (a <= c) {
                    m[2 * k] = a;
                    m[2 * k + 1] = p[2 * i + 1];
                    i--;
                } else {
                    m[2 * k] = c;
                    m[2 * k + 1] = src[off + 2 * j + 1];
                    j++;
                }
                k++;
            }
            for (; i >= 0; i--, k++) {
                m[2 * k] = p[2 * i];
                m[2 * k + 1] = p[2 * i + 1];
            }
            for (; j < n; j++, k++) {
                m[2 * k] = src[off + 2 * j];
                m[2 * k + 1] = src[off + 2 * j + 1];
            }
            final int keep = Math.min(k, privCapacity);
            for (int e = keep; e < k; e++) { // overflow: the worst elements go to the own heap
                heap.insertLockedNoPublish(m[2 * e], m[2 * e + 1]);
            }
            for (int e = 0; e < keep; e++) { // P descending: best on top, at index keep-1
                int d = keep - 1 - e;
                p[2 * d] = m[2 * e];
                p[2 * d + 1] = m[2 * e + 1];
            }
            pc = keep;
            slot.publishPrivCount(keep);
        }

        /**
         * P, the own S and the own H are empty. Scan every other slot from a random start; report empty only under
         * the rule in the class javadoc.
         */
        private boolean deleteWhenLocalEmpty() {
            heap.publish();
            heap.unlock(); // nothing below needs the own heap: P is empty, so absorbing one batch never overflows
            final StealingMultiQueueSlot[] ss = slots;
            final int t = ss.length;
            if (t == 1) {
                return false;
            }
            int i = nextInt(t);
            int emptyRun = 0;
            while (true) {
                final StealingMultiQueueSlot v = ss[i];
                if (v == slot) {
                    emptyRun++; // our own: found empty above, and only we insert into it
                } else {
                    final long s = v.stateAcquire();
                    if (StealingMultiQueueSlot.isFull(s)) {
                        int k = v.claim(s, loot);
                        if (k > 0) {
                            absorb(loot, 0, k);
                            steals++;
                            popPriv(pc);
                            return true;
                        }
                        emptyRun = 0; // someone else took it or it was refilled: look again
                    } else {
                        final LockableHeap vh = v.heap;
                        if (vh.publishedSize() == 0) {
                            emptyRun++;
                        } else if (vh.tryLock()) {
                            if (takeFromHeapAndUnlock(vh, Long.MAX_VALUE, true) > 0) {
                                popPriv(pc);
                                return true;
                            }
                            emptyRun++; // found empty under its lock
                        } else {
                            emptyRun = 0; // non-empty and busy: its owner or a thief is working on it
                            Thread.onSpinWait();
                        }
                    }
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
        public long steals() {
            return steals;
        }

        @Override
        public void flush() {
            if (pc == 0) {
                return;
            }
            final LockableHeap h = heap;
            h.lock();
            final long[] p = priv;
            for (int i = pc - 1; i >= 0; i--) { // best first: each sift-up stops early
                h.insertLockedNoPublish(p[2 * i], p[2 * i + 1]);
            }
            pc = 0;
            long s = slot.stateAcquire();
            if (!StealingMultiQueueSlot.isFull(s)) {
                refill(s);
            }
            h.publish();
            slot.publishPrivCount(0); // after the heap published the elements
            h.unlock();
        }

        @Override
        public void close() {
            flush();
            slot.disown();
        }

        @Override
        public String toString() {
            return "smq-handle(slot=" + slot.index + ", private=" + pc + ", steals=" + steals + ")";
        }
    }
}

/**
 * The per-handle state of {@link StealingMultiQueue}: written by the owning thread only (other threads see the
 * slot, never the handle). Kept in a superclass so that the padding declared in the subclass follows it.
 */
abstract class StealingMultiQueueHandleFields extends AbstractHandle {
    /** The slot this handle owns, its heap and its stealing-buffer array; fixed. */
    StealingMultiQueueSlot slot;
    LockableHeap heap;
    long[] sbuf;
    /** Top and count of the own buffer as last published by this handle; valid while the state is odd. */
    long ownTop;
    int ownCount;
    /** xorshift64 state, never 0. */
    long rng;
    /** Private buffer, interleaved (priority, payload), sorted descending; best at index 2*(pc-1). */
    long[] priv;
    int pc;
    /** Claimed or taken elements, ascending, before they are merged into P. */
    long[] loot;
    /** The next batch for the own buffer, prepared while the current one is still published. */
    long[] stage;
    /** Merge space for P and loot. */
    long[] scratch;
    /** Successful steals (diagnostics). */
    long steals;
    /** Registry index of the slot the last steal took elements from, or -1 ("sticky stealing"). */
    int sticky = -1;
}

/**
 * Padding after the hot fields, so that handles allocated one after another (typically all by one thread before
 * being handed out) do not share cache lines.
 */
abstract class StealingMultiQueueHandlePad extends StealingMultiQueueHandleFields {
    long p00, p01, p02, p03, p04, p05, p06, p07;
    long p08, p09, p10, p11, p12, p13, p14, p15;
}
