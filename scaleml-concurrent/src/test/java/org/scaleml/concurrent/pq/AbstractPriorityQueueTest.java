package org.scaleml.concurrent.pq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The one contract suite for {@link ConcurrentPriorityQueue}: every implementation and parameter variant runs it
 * through a concrete subclass that names a textual specification (see {@link PriorityQueues}).
 *
 * <p>What it checks, from the interface contract:
 * <ul>
 *   <li>sequential semantics: exact order for exact queues and for relaxed configurations with a single internal
 *       heap (sized for one thread); for every queue, a single handle gets back exactly the multiset it put in,
 *       including duplicates, negative priorities and {@code Long.MIN_VALUE}/{@code Long.MAX_VALUE};</li>
 *   <li>a single handle on a quiescent queue never reports empty while elements exist;</li>
 *   <li>{@code size()} is exact when quiescent, buffered elements included;</li>
 *   <li>payloads travel with their priorities;</li>
 *   <li>flush and close make buffered elements (insertion and deletion buffers) visible to other handles;</li>
 *   <li>concurrently, with more threads than this machine's cores: no loss, no duplication, and the
 *       happens-before edge from insert to the returning delete-min.</li>
 * </ul>
 * Heavier versions of the concurrent checks carry the JUnit tag {@code stress} (run with {@code -Pstress}).
 */
abstract class AbstractPriorityQueueTest {

    /** Tag value for the long-running tests excluded from the default build. */
    static final String STRESS = "stress";

    /** XOR-ed into the plain "stamp" written before each concurrent insert, so a stale (zero) read shows. */
    private static final long STAMP = 0x6A09E667F3BCC909L;

    /** The specification under test, e.g. {@code "mq:c=4,d=8"}. */
    protected abstract String spec();

    /** Whether the implementation is relaxed ({@link ConcurrentPriorityQueue#isRelaxed()}). */
    protected abstract boolean relaxed();

    /**
     * Whether a queue created for one thread and used through one handle returns elements in exact priority
     * order. True for exact queues; relaxed configurations override it when they hold a single internal heap and
     * no deletion buffer ({@code mq:c=1}, {@code smq} with one thread).
     */
    protected boolean exactWithOneThread() {
        return !relaxed();
    }

    /**
     * Whether a handle that keeps finding elements of its own is guaranteed to look at other handles' elements
     * eventually. True for every configuration except a stealing MultiQueue that never steals ({@code psteal=0}),
     * which by definition serves its own heap while it is non-empty.
     */
    protected boolean looksBeyondItsOwnElements() {
        return true;
    }

    /** Threads the queue is sized for in most tests: more than this machine's two cores. */
    protected int threads() {
        return 4;
    }

    protected ConcurrentPriorityQueue create(int threads) {
        return TestQueues.create(spec(), threads);
    }

    // ------------------------------------------------------------------------------------------------ identity

    @Test
    void reportsWhetherItIsRelaxed() {
        assertThat(create(threads()).isRelaxed()).as("isRelaxed() of %s", spec()).isEqualTo(relaxed());
    }

    @Test
    void nameStartsWithTheImplementationName() {
        String base = spec().contains(":") ? spec().substring(0, spec().indexOf(':')) : spec();
        if (base.equals("mq-tl")) {
            base = "mq"; // the temporal-locality variant is a MultiQueue with other defaults
        }
        assertThat(create(threads()).name()).as("name() of %s", spec()).startsWith(base);
    }

    // --------------------------------------------------------------------------------------------- emptiness

    @Test
    void newQueueIsEmpty() {
        ConcurrentPriorityQueue q = create(threads());
        assertThat(q.size()).isZero();
        try (ConcurrentPriorityQueue.Handle a = q.register(); ConcurrentPriorityQueue.Handle b = q.register()) {
            assertThat(a.tryDeleteMin()).as("tryDeleteMin on a new queue").isFalse();
            assertThat(b.tryDeleteMin()).as("tryDeleteMin on a new queue, second handle").isFalse();
        }
        assertThat(q.size()).isZero();
    }

    @Test
    void drainedQueueIsEmptyAndStaysEmpty() {
        ConcurrentPriorityQueue q = create(threads());
        try (ConcurrentPriorityQueue.Handle h = q.register()) {
            for (int i = 0; i < 300; i++) {
                h.insert(i % 7, i);
            }
            assertThat(drain(h)).hasSize(300);
            assertThat(h.tryDeleteMin()).isFalse();
            assertThat(h.tryDeleteMin()).as("second call after empty").isFalse();
            h.flush();
            assertThat(h.tryDeleteMin()).as("after flush").isFalse();
        }
        assertThat(q.size()).isZero();
        // the queue is reusable after being drained
        try (ConcurrentPriorityQueue.Handle h = q.register()) {
            h.insert(5, 55);
            assertThat(h.tryDeleteMin()).isTrue();
            assertThat(h.priority()).isEqualTo(5);
            assertThat(h.payload()).isEqualTo(55);
            assertThat(h.tryDeleteMin()).isFalse();
        }
    }

    @Test
    void sizeIsExactWhenQuiescentIncludingBufferedElements() {
        ConcurrentPriorityQueue q = create(threads());
        ConcurrentPriorityQueue.Handle a = q.register();
        ConcurrentPriorityQueue.Handle b = q.register();
        for (int i = 0; i < 5; i++) { // fewer than any insertion buffer: everything may still be buffered
            a.insert(100 - i, i);
        }
        assertThat(q.size()).as("after 5 inserts, nothing flushed").isEqualTo(5);
        for (int i = 0; i < 200; i++) {
            b.insert(i, 1000 + i);
        }
        assertThat(q.size()).as("after 205 inserts").isEqualTo(205);
        int removed = 0;
        for (int i = 0; i < 50; i++) {
            assertThat(b.tryDeleteMin()).isTrue();
            removed++;
        }
        assertThat(q.size()).as("after 50 removals (deletion buffer may hold some)").isEqualTo(205 - removed);
        a.flush();
        b.flush();
        assertThat(q.size()).as("after flushing").isEqualTo(205 - removed);
        a.close();
        assertThat(drain(b)).hasSize(205 - removed);
        b.close();
        assertThat(q.size()).isZero();
    }

    // ------------------------------------------------------------------------------------ sequential semantics

    @Test
    void singleHandleGetsBackExactlyTheInsertedMultiset() {
        checkSingleHandleMultiset(create(threads()), 6000, 1);
    }

    @Test
    void singleHandleGetsBackExactlyTheInsertedMultisetWithOneThreadQueue() {
        checkSingleHandleMultiset(create(1), 3000, 2);
    }

    @Test
    void exactOrderWhenTheConfigurationIsExactSequentially() {
        assumeTrue(exactWithOneThread(), spec() + " is not exact sequentially");
        ConcurrentPriorityQueue q = create(1);
        long[] prio = extremeMixOfPriorities(new SplittableRandom(3), 5000);
        try (ConcurrentPriorityQueue.Handle h = q.register()) {
            for (int i = 0; i < prio.length; i++) {
                h.insert(prio[i], i);
            }
            List<long[]> out = drain(h);
            checkExactlyOnce(out, prio);
            for (int i = 1; i < out.size(); i++) {
                if (out.get(i)[0] < out.get(i - 1)[0]) {
                    fail("%s: out of order at output %d: %d after %d", spec(), i, out.get(i)[0], out.get(i - 1)[0]);
                }
            }
        }
    }

    /**
     * A random mix of inserts and delete-mins on one handle, against a model. Every delete-min must return a
     * present element with its own priority, and may report empty only when the model is empty. When the
     * configuration is exact sequentially, it must return a minimal priority.
     */
    @Test
    void randomMixOnOneHandleMatchesTheModel() {
        checkMixAgainstModel(create(threads()), false, 11);
        checkMixAgainstModel(create(1), exactWithOneThread(), 12);
    }

    @Test
    void payloadsTravelWithTheirPriorities() {
        ConcurrentPriorityQueue q = create(threads());
        long[] priorities = {Long.MIN_VALUE, Long.MIN_VALUE + 1, -1_000_000_007L, -1, 0, 1, 42, Long.MAX_VALUE - 1,
                Long.MAX_VALUE};
        try (ConcurrentPriorityQueue.Handle h = q.register()) {
            for (int rep = 0; rep < 3; rep++) {
                for (long p : priorities) {
                    h.insert(p, TestQueues.payloadOf(p));
                }
            }
            List<long[]> out = drain(h);
            assertThat(out).hasSize(3 * priorities.length);
            for (long[] e : out) {
                assertThat(e[1]).as("payload returned with priority %d", e[0]).isEqualTo(TestQueues.payloadOf(e[0]));
            }
            // and the extreme payloads themselves survive (priority derived from payload this time)
            h.insert(7, Long.MIN_VALUE);
            h.insert(8, Long.MAX_VALUE);
            h.insert(9, 0);
            List<long[]> extremes = drain(h);
            assertThat(extremes).hasSize(3);
            for (long[] e : extremes) {
                long expected = e[0] == 7 ? Long.MIN_VALUE : e[0] == 8 ? Long.MAX_VALUE : 0;
                assertThat(e[0]).isBetween(7L, 9L);
                assertThat(e[1]).isEqualTo(expected);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- liveness

    /**
     * A handle that keeps re-inserting what it deletes (the pattern of a scheduler re-pushing a task that is not
     * ready yet) must eventually be given a smaller element that another handle inserted and flushed. A relaxed
     * queue may return the larger element many times, but not forever: the bound here (200,000 rounds) is far
     * above what the randomized choices need in expectation (a few times the number of heaps) and still fails
     * fast on a queue that would serve its own buffer or heap forever.
     */
    @Test
    void reinsertingHandleEventuallySeesASmallerElementFromAnotherHandle() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(looksBeyondItsOwnElements(), "configuration never looks beyond its own elements");
        ConcurrentPriorityQueue q = create(threads());
        ConcurrentPriorityQueue.Handle a = q.register();
        for (int i = 0; i < 3 * threads(); i++) {
            a.insert(100 + i, 100 + i); // background elements, larger than both of interest
        }
        a.flush();
        inOtherThread(() -> {
            try (ConcurrentPriorityQueue.Handle b = q.register()) {
                b.insert(1, 1);
                b.flush();
            }
            return null;
        });
        a.insert(5, 5);
        int rounds = 0;
        while (true) {
            assertThat(a.tryDeleteMin()).as("queue holds elements, round %d", rounds).isTrue();
            if (a.priority() == 1) {
                break;
            }
            assertThat(rounds++).as("rounds until the smaller element from the other handle came out").isLessThan(200_000);
            a.insert(a.priority(), a.payload());
        }
        a.close();
    }

    // ----------------------------------------------------------------------------------------- flush / close

    @Test
    void elementsFlushedByOneHandleAreVisibleToAnotherThread() throws Exception {
        ConcurrentPriorityQueue q = create(threads());
        ConcurrentPriorityQueue.Handle a = q.register();
        long[] prio = new long[1000];
        SplittableRandom rnd = new SplittableRandom(5);
        for (int i = 0; i < prio.length; i++) {
            prio[i] = rnd.nextLong(-500, 500);
            a.insert(prio[i], i);
        }
        a.flush();
        List<long[]> out = inOtherThread(() -> {
            try (ConcurrentPriorityQueue.Handle b = q.register()) {
                return drain(b);
            }
        });
        checkExactlyOnce(out, prio);
        assertThat(a.tryDeleteMin()).as("flushed handle after another drained everything").isFalse();
        a.close();
    }

    @Test
    void fewElementsInAnInsertionBufferAreVisibleAfterFlush() throws Exception {
        ConcurrentPriorityQueue q = create(threads());
        ConcurrentPriorityQueue.Handle a = q.register();
        a.insert(3, 30);
        a.insert(1, 10); // two elements: below any reasonable buffer size, so they sit in the buffer until flush
        a.flush();
        List<long[]> out = inOtherThread(() -> {
            try (ConcurrentPriorityQueue.Handle b = q.register()) {
                return drain(b);
            }
        });
        assertThat(out).extracting(e -> e[1]).containsExactlyInAnyOrder(30L, 10L);
        a.close();
    }

    @Test
    void elementsTakenIntoADeletionBufferGoBackOnFlush() throws Exception {
        ConcurrentPriorityQueue q = create(threads());
        ConcurrentPriorityQueue.Handle a = q.register();
        long[] prio = new long[1000];
        for (int i = 0; i < prio.length; i++) {
            prio[i] = (i * 7919L) % 1000;
            a.insert(prio[i], i);
        }
        a.flush();
        assertThat(a.tryDeleteMin()).isTrue();
        long[] first = {a.priority(), a.payload()};
        a.flush(); // whatever a took into a deletion buffer must go back now
        assertThat(q.size()).as("size after one removal and flush").isEqualTo(prio.length - 1);
        List<long[]> out = inOtherThread(() -> {
            try (ConcurrentPriorityQueue.Handle b = q.register()) {
                return drain(b);
            }
        });
        out.add(first);
        checkExactlyOnce(out, prio);
        a.close();
    }

    @Test
    void closeLosesNothing() throws Exception {
        ConcurrentPriorityQueue q = create(threads());
        long[] prio = new long[600];
        List<long[]> out = new ArrayList<>();
        ConcurrentPriorityQueue.Handle a = q.register();
        for (int i = 0; i < prio.length; i++) {
            prio[i] = (i * 31L) % 97 - 40;
            a.insert(prio[i], i);
            if (i % 3 == 2 && a.tryDeleteMin()) { // interleave some removals so deletion buffers get filled
                out.add(new long[] {a.priority(), a.payload()});
            }
        }
        a.close();
        out.addAll(inOtherThread(() -> {
            try (ConcurrentPriorityQueue.Handle b = q.register()) {
                return drain(b);
            }
        }));
        checkExactlyOnce(out, prio);
        assertThat(q.size()).isZero();
    }

    @Test
    void moreHandlesThanThreadsShareTheQueue() {
        ConcurrentPriorityQueue q = create(1);
        int handles = 9;
        long[] prio = new long[handles * 50];
        List<ConcurrentPriorityQueue.Handle> hs = new ArrayList<>();
        for (int k = 0; k < handles; k++) {
            hs.add(q.register());
        }
        for (int i = 0; i < prio.length; i++) {
            prio[i] = i % 13;
            hs.get(i % handles).insert(prio[i], i);
        }
        assertThat(q.size()).isEqualTo(prio.length);
        List<long[]> out = new ArrayList<>();
        for (int k = 0; k < handles; k++) { // each handle takes a few, then everybody flushes
            ConcurrentPriorityQueue.Handle h = hs.get(k);
            for (int j = 0; j < 10 && h.tryDeleteMin(); j++) {
                out.add(new long[] {h.priority(), h.payload()});
            }
        }
        hs.forEach(ConcurrentPriorityQueue.Handle::close);
        try (ConcurrentPriorityQueue.Handle h = q.register()) {
            out.addAll(drain(h));
        }
        checkExactlyOnce(out, prio);
    }

    // ------------------------------------------------------------------------------------------- concurrency

    @Test
    @Timeout(60)
    void concurrentRandomMixLosesAndDuplicatesNothing() throws Exception {
        runConcurrentMix(4, 25_000, 1_000, 21);
    }

    @Test
    @Timeout(60)
    void concurrentMixWithFewDistinctPrioritiesLosesAndDuplicatesNothing() throws Exception {
        runConcurrentMix(3, 20_000, 3, 22);
    }

    @Test
    @Timeout(60)
    void producersAndConsumersLoseAndDuplicateNothing() throws Exception {
        runProducersConsumers(2, 2, 40_000, 23);
    }

    /** Exact queues only: with inserts done beforehand, each thread's successive delete-mins never decrease. */
    @Test
    @Timeout(60)
    void exactQueueDeletesAreNondecreasingPerThreadWithoutConcurrentInserts() throws Exception {
        assumeFalse(relaxed(), spec() + " is relaxed");
        ConcurrentPriorityQueue q = create(threads());
        int n = 40_000;
        long[] prio = new long[n];
        SplittableRandom rnd = new SplittableRandom(24);
        try (ConcurrentPriorityQueue.Handle h = q.register()) {
            for (int i = 0; i < n; i++) {
                prio[i] = rnd.nextLong(-1000, 1000);
                h.insert(prio[i], i);
            }
        }
        int nThreads = 4;
        List<List<long[]>> perThread = new ArrayList<>();
        for (int t = 0; t < nThreads; t++) {
            perThread.add(new ArrayList<>());
        }
        runThreads(nThreads, t -> {
            try (ConcurrentPriorityQueue.Handle h = q.register()) {
                List<long[]> mine = perThread.get(t);
                while (h.tryDeleteMin()) {
                    mine.add(new long[] {h.priority(), h.payload()});
                }
            }
        });
        List<long[]> all = new ArrayList<>();
        for (List<long[]> mine : perThread) {
            for (int i = 1; i < mine.size(); i++) {
                assertThat(mine.get(i)[0]).as("exact queue: thread's delete-min %d after %d", i, i - 1)
                        .isGreaterThanOrEqualTo(mine.get(i - 1)[0]);
            }
            all.addAll(mine);
        }
        checkExactlyOnce(all, prio);
    }

    @Test
    @Tag(STRESS)
    @Timeout(600)
    void stressConcurrentRandomMix() throws Exception {
        runConcurrentMix(8, 500_000, 1 << 20, 31);
        runConcurrentMix(4, 500_000, 4, 32);
    }

    @Test
    @Tag(STRESS)
    @Timeout(600)
    void stressProducersAndConsumers() throws Exception {
        runProducersConsumers(3, 3, 700_000, 33);
    }

    // --------------------------------------------------------------------------------------------- machinery

    private void checkSingleHandleMultiset(ConcurrentPriorityQueue q, int n, long seed) {
        long[] prio = extremeMixOfPriorities(new SplittableRandom(seed), n);
        try (ConcurrentPriorityQueue.Handle h = q.register()) {
            for (int i = 0; i < n; i++) {
                h.insert(prio[i], i);
            }
            assertThat(q.size()).isEqualTo(n);
            checkExactlyOnce(drain(h), prio);
        }
    }

    private void checkMixAgainstModel(ConcurrentPriorityQueue q, boolean exact, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int maxElements = 20_000;
        long[] prio = new long[maxElements];
        BitSet present = new BitSet(maxElements);
        TreeMap<Long, Integer> counts = new TreeMap<>();
        int next = 0;
        int inModel = 0;
        try (ConcurrentPriorityQueue.Handle h = q.register()) {
            for (int step = 0; step < 30_000; step++) {
                // phases favour inserting, then deleting, so the queue both grows and runs empty repeatedly
                boolean insertPhase = (step / 2000) % 2 == 0;
                boolean doInsert = next < maxElements && rnd.nextInt(100) < (insertPhase ? 70 : 30);
                if (doInsert) {
                    long p = rnd.nextInt(10) == 0 ? extreme(rnd) : rnd.nextLong(-100, 100);
                    prio[next] = p;
                    h.insert(p, next);
                    present.set(next);
                    counts.merge(p, 1, Integer::sum);
                    next++;
                    inModel++;
                } else if (h.tryDeleteMin()) {
                    long payload = h.payload();
                    if (payload < 0 || payload >= next || !present.get((int) payload)) {
                        fail("%s: step %d returned payload %d which is not in the queue", spec(), step, payload);
                    }
                    assertThat(h.priority()).as("priority of payload %d", payload).isEqualTo(prio[(int) payload]);
                    if (exact) {
                        assertThat(h.priority()).as("%s must return a minimal priority at step %d", spec(), step)
                                .isEqualTo(counts.firstKey());
                    }
                    present.clear((int) payload);
                    counts.merge(h.priority(), -1, (a, b) -> a + b == 0 ? null : a + b);
                    inModel--;
                } else if (inModel != 0) {
                    fail("%s: single quiescent handle reported empty with %d elements present (step %d)", spec(),
                            inModel, step);
                }
            }
            assertThat(q.size()).isEqualTo(inModel);
            List<long[]> rest = drain(h);
            assertThat(rest).hasSize(inModel);
            for (long[] e : rest) {
                assertThat(present.get((int) e[1])).as("payload %d present", e[1]).isTrue();
                present.clear((int) e[1]);
            }
            assertThat(present.isEmpty()).isTrue();
        }
    }

    /**
     * {@code threads} threads each do {@code ops} random operations (about 55% inserts of unique payloads) on
     * their own handle, then close it; the main thread drains the rest. Every inserted payload must come out
     * exactly once, with its priority, and the plain write made before the insert must be visible to the thread
     * that removed it.
     */
    private void runConcurrentMix(int nThreads, int ops, long prioritySpan, long seed) throws Exception {
        ConcurrentPriorityQueue q = create(threads());
        long[] stamp = new long[nThreads * ops]; // plain writes; the queue must publish them
        int[] insertedPerThread = new int[nThreads];
        AtomicIntegerArray seen = new AtomicIntegerArray(nThreads * ops);
        ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        runThreads(nThreads, t -> {
            SplittableRandom rnd = new SplittableRandom(seed * 1000 + t);
            int base = t * ops;
            int inserted = 0;
            try (ConcurrentPriorityQueue.Handle h = q.register()) {
                for (int i = 0; i < ops; i++) {
                    if (rnd.nextInt(100) < 55) {
                        long p = rnd.nextInt(1000) == 0 ? extreme(rnd) : rnd.nextLong(prioritySpan) - prioritySpan / 2;
                        int payload = base + inserted++;
                        stamp[payload] = p ^ STAMP;
                        h.insert(p, payload);
                    } else if (h.tryDeleteMin()) {
                        record(h, seen, stamp, errors);
                    }
                }
            }
            insertedPerThread[t] = inserted;
        });
        try (ConcurrentPriorityQueue.Handle h = q.register()) {
            while (h.tryDeleteMin()) {
                record(h, seen, stamp, errors);
            }
        }
        assertThat(errors).as("%s: errors seen by the workers", spec()).isEmpty();
        checkSeenExactlyOnce(seen, nThreads, ops, insertedPerThread);
        assertThat(q.size()).isZero();
    }

    /**
     * Producers insert unique payloads and close their handles; consumers run at the same time and delete until
     * every payload has been seen (false empties are allowed while producers run; a loss shows as a timeout).
     */
    private void runProducersConsumers(int producers, int consumers, int perProducer, long seed) throws Exception {
        ConcurrentPriorityQueue q = create(threads());
        int total = producers * perProducer;
        long[] stamp = new long[total];
        AtomicIntegerArray seen = new AtomicIntegerArray(total);
        AtomicLong removed = new AtomicLong();
        ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(45);
        runThreads(producers + consumers, t -> {
            if (t < producers) {
                SplittableRandom rnd = new SplittableRandom(seed * 1000 + t);
                try (ConcurrentPriorityQueue.Handle h = q.register()) {
                    for (int i = 0; i < perProducer; i++) {
                        int payload = t * perProducer + i;
                        long p = rnd.nextLong(-10_000, 10_000);
                        stamp[payload] = p ^ STAMP;
                        h.insert(p, payload);
                    }
                }
            } else {
                try (ConcurrentPriorityQueue.Handle h = q.register()) {
                    while (removed.get() < total) {
                        if (h.tryDeleteMin()) {
                            record(h, seen, stamp, errors);
                            removed.incrementAndGet();
                        } else if (System.nanoTime() > deadline) {
                            errors.add("consumer gave up: " + removed.get() + " of " + total + " removed");
                            return;
                        } else {
                            Thread.onSpinWait();
                        }
                    }
                }
            }
        });
        assertThat(errors).as("%s: errors seen by the workers", spec()).isEmpty();
        int[] inserted = new int[producers];
        Arrays.fill(inserted, perProducer);
        checkSeenExactlyOnce(seen, producers, perProducer, inserted);
        assertThat(q.size()).isZero();
    }

    private static void record(ConcurrentPriorityQueue.Handle h, AtomicIntegerArray seen, long[] stamp,
            ConcurrentLinkedQueue<String> errors) {
        long payload = h.payload();
        if (payload < 0 || payload >= seen.length()) {
            addError(errors, "payload out of range: " + payload);
            return;
        }
        int n = seen.incrementAndGet((int) payload);
        if (n != 1) {
            addError(errors, "payload " + payload + " returned " + n + " times");
        }
        long expected = h.priority() ^ STAMP;
        if (stamp[(int) payload] != expected) {
            addError(errors, "payload " + payload + " came with priority " + h.priority()
                    + " but the inserting thread wrote stamp for priority " + (stamp[(int) payload] ^ STAMP));
        }
    }

    private static void addError(ConcurrentLinkedQueue<String> errors, String e) {
        if (errors.size() < 20) {
            errors.add(e);
        }
    }

    private void checkSeenExactlyOnce(AtomicIntegerArray seen, int nThreads, int stride, int[] insertedPerThread) {
        List<String> problems = new ArrayList<>();
        for (int t = 0; t < nThreads; t++) {
            for (int i = 0; i < stride; i++) {
                int c = seen.get(t * stride + i);
                int expected = i < insertedPerThread[t] ? 1 : 0;
                if (c != expected && problems.size() < 20) {
                    problems.add("payload " + (t * stride + i) + " seen " + c + " times, expected " + expected);
                }
            }
        }
        assertThat(problems).as("%s: loss or duplication", spec()).isEmpty();
    }

    /** Each payload index of {@code prio} appears exactly once in {@code out}, with its priority. */
    private void checkExactlyOnce(List<long[]> out, long[] prio) {
        BitSet seen = new BitSet(prio.length);
        for (long[] e : out) {
            long payload = e[1];
            if (payload < 0 || payload >= prio.length) {
                fail("%s: unknown payload %d", spec(), payload);
            }
            if (seen.get((int) payload)) {
                fail("%s: payload %d returned twice", spec(), payload);
            }
            seen.set((int) payload);
            if (e[0] != prio[(int) payload]) {
                fail("%s: payload %d returned with priority %d, inserted with %d", spec(), payload, e[0],
                        prio[(int) payload]);
            }
        }
        assertThat(seen.cardinality()).as("%s: elements returned of %d inserted", spec(), prio.length)
                .isEqualTo(prio.length);
    }

    static List<long[]> drain(ConcurrentPriorityQueue.Handle h) {
        List<long[]> out = new ArrayList<>();
        while (h.tryDeleteMin()) {
            out.add(new long[] {h.priority(), h.payload()});
        }
        return out;
    }

    /** Many duplicates, negatives, and the extreme values of {@code long}. */
    static long[] extremeMixOfPriorities(SplittableRandom rnd, int n) {
        long[] p = new long[n];
        for (int i = 0; i < n; i++) {
            switch (rnd.nextInt(4)) {
                case 0:
                    p[i] = rnd.nextLong(-20, 20);
                    break;
                case 1:
                    p[i] = rnd.nextLong();
                    break;
                case 2:
                    p[i] = extreme(rnd);
                    break;
                default:
                    p[i] = rnd.nextLong(-1_000_000, 1_000_000);
            }
        }
        p[0] = Long.MAX_VALUE; // make sure the extremes are there, in an unhelpful order
        p[1] = Long.MIN_VALUE;
        p[n - 1] = Long.MIN_VALUE;
        return p;
    }

    private static long extreme(SplittableRandom rnd) {
        long[] e = {Long.MIN_VALUE, Long.MIN_VALUE + 1, -1, 0, 1, Long.MAX_VALUE - 1, Long.MAX_VALUE};
        return e[rnd.nextInt(e.length)];
    }

    interface Worker {
        void run(int threadIndex) throws Exception;
    }

    /** Runs workers on daemon threads started together; rethrows the first failure. */
    static void runThreads(int n, Worker worker) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            int index = t;
            Thread th = new Thread(() -> {
                try {
                    start.await();
                    worker.run(index);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "pq-test-" + t);
            th.setDaemon(true);
            threads.add(th);
            th.start();
        }
        start.countDown();
        for (Thread th : threads) {
            th.join();
        }
        Throwable f = failure.get();
        if (f instanceof Exception) {
            throw (Exception) f;
        }
        if (f != null) {
            throw new AssertionError(f);
        }
    }

    interface Task<T> {
        T call() throws Exception;
    }

    /** Runs a task on a fresh thread and waits for it (join gives the happens-before edge back). */
    static <T> T inOtherThread(Task<T> task) throws Exception {
        AtomicReference<T> result = new AtomicReference<>();
        runThreads(1, t -> result.set(task.call()));
        return result.get();
    }
}
