package org.scaleml.concurrent.map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.scaleml.concurrent.map.ConcurrentLongMap.NO_VALUE;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.scaleml.concurrent.map.ConcurrentLongMap.KeyResult;

/**
 * The one suite every {@link ConcurrentLongMap} runs: exact semantics against a {@link TreeMap} model under random
 * operation sequences (every method, the extreme keys, {@code NO_VALUE} refused), large random key sets over the
 * whole {@code long} range, and, for the thread-safe maps, concurrent insertions of disjoint and overlapping key
 * sets and mixed readers and writers whose final contents are checked exactly.
 */
class LongMapContractTest {
    /** Every implementation, with configurations that force the rare paths (tiny leaves, frequent rebuilds). */
    static List<String> allSpecs() {
        List<String> specs = new ArrayList<>(LongMaps.variants());
        specs.addAll(List.of("cist:leaf=2,rebuild=0.05", "cist:leaf=4,rebuild=0.5", "cist:leaf=3,rebuild=2",
                "splay:sample=1", "splay:sample=1,levels=4", "locked-tree:optimistic=false"));
        return specs;
    }

    static List<String> threadSafeSpecs() {
        return allSpecs().stream().filter(LongMaps::isThreadSafe).toList();
    }

    private static final long[] EDGES = {Long.MIN_VALUE, Long.MIN_VALUE + 1, Long.MAX_VALUE - 1, Long.MAX_VALUE};

    /** Small keys (many collisions) and the extreme longs. */
    private static long randomKey(SplittableRandom r) {
        return r.nextInt(20) == 0 ? EDGES[r.nextInt(EDGES.length)] : r.nextLong(-300, 301);
    }

    private static long or(Long v) {
        return v == null ? NO_VALUE : v;
    }

    @ParameterizedTest
    @MethodSource("allSpecs")
    void agreesWithTreeMapOnRandomOperations(String spec) {
        ConcurrentLongMap map = LongMaps.create(spec);
        TreeMap<Long, Long> model = new TreeMap<>();
        SplittableRandom r = new SplittableRandom(spec.hashCode());
        KeyResult out = new KeyResult();
        for (int step = 0; step < 40_000; step++) {
            long k = randomKey(r);
            long v = r.nextLong(-5, 1_000_000);
            String what = spec + " step " + step + " key " + k;
            switch (r.nextInt(10)) {
                case 0, 1 -> assertThat(map.put(k, v)).as(what).isEqualTo(or(model.put(k, v)));
                case 2 -> assertThat(map.putIfAbsent(k, v)).as(what).isEqualTo(or(model.putIfAbsent(k, v)));
                case 3, 4 -> assertThat(map.remove(k)).as(what).isEqualTo(or(model.remove(k)));
                case 5 -> {
                    assertThat(map.get(k)).as(what).isEqualTo(or(model.get(k)));
                    assertThat(map.containsKey(k)).as(what).isEqualTo(model.containsKey(k));
                }
                case 6 -> checkNear(map.ceiling(k, out), model.ceilingEntry(k), out, what + " ceiling");
                case 7 -> checkNear(map.floor(k, out), model.floorEntry(k), out, what + " floor");
                case 8 -> {
                    long hi = r.nextInt(4) == 0 ? randomKey(r) : k + r.nextInt(100);
                    long expected = k > hi ? 0 : model.subMap(k, true, hi, true).size();
                    assertThat(map.rangeCount(k, hi)).as(what + " rangeCount to " + hi).isEqualTo(expected);
                }
                default -> {
                    long hi = k + r.nextInt(60);
                    assertThat(entries(map, k, hi, Integer.MAX_VALUE)).as(what + " range to " + hi)
                            .isEqualTo(k > hi ? List.of() : flatten(model.subMap(k, true, hi, true)));
                }
            }
            if (step % 5000 == 0) {
                assertSameContents(map, model);
            }
        }
        assertSameContents(map, model);
    }

    private static void checkNear(boolean found, Map.Entry<Long, Long> expected, KeyResult out, String what) {
        assertThat(found).as(what).isEqualTo(expected != null);
        if (found) {
            assertThat(out.key).as(what).isEqualTo(expected.getKey());
            assertThat(out.value).as(what).isEqualTo(expected.getValue());
        }
    }

    /** The entries of {@code [lo, hi]} as key, value, key, value, ..., at most {@code limit} of them. */
    static List<Long> entries(ConcurrentLongMap map, long lo, long hi, int limit) {
        List<Long> kv = new ArrayList<>();
        map.forEachInRange(lo, hi, (k, v) -> {
            kv.add(k);
            kv.add(v);
            return kv.size() / 2 < limit;
        });
        return kv;
    }

    static List<Long> flatten(Map<Long, Long> m) {
        List<Long> kv = new ArrayList<>();
        m.forEach((k, v) -> {
            kv.add(k);
            kv.add(v);
        });
        return kv;
    }

    static void assertSameContents(ConcurrentLongMap map, TreeMap<Long, Long> model) {
        assertThat(map.size()).as("size of %s", map.spec()).isEqualTo(model.size());
        assertThat(map.rangeCount(Long.MIN_VALUE, Long.MAX_VALUE)).isEqualTo(model.size());
        assertThat(entries(map, Long.MIN_VALUE, Long.MAX_VALUE, Integer.MAX_VALUE)).isEqualTo(flatten(model));
    }

    @ParameterizedTest
    @MethodSource("allSpecs")
    void extremeKeysAndEmptyRanges(String spec) {
        ConcurrentLongMap map = LongMaps.create(spec);
        KeyResult out = new KeyResult();
        out.key = 42;
        assertThat(map.ceiling(Long.MIN_VALUE, out)).isFalse();
        assertThat(map.floor(Long.MAX_VALUE, out)).isFalse();
        assertThat(out.key).as("untouched when nothing is found").isEqualTo(42);
        assertThat(map.rangeCount(Long.MIN_VALUE, Long.MAX_VALUE)).isZero();
        assertThat(map.put(Long.MIN_VALUE, -1)).isEqualTo(NO_VALUE);
        assertThat(map.put(Long.MAX_VALUE, Long.MAX_VALUE)).isEqualTo(NO_VALUE);
        assertThat(map.put(0, 0)).isEqualTo(NO_VALUE);
        assertThat(map.get(Long.MIN_VALUE)).isEqualTo(-1);
        assertThat(map.get(Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
        assertThat(map.ceiling(Long.MIN_VALUE, out)).isTrue();
        assertThat(out.key).isEqualTo(Long.MIN_VALUE);
        assertThat(map.ceiling(1, out)).isTrue();
        assertThat(out.key).isEqualTo(Long.MAX_VALUE);
        assertThat(out.value).isEqualTo(Long.MAX_VALUE);
        assertThat(map.floor(-1, out)).isTrue();
        assertThat(out.key).isEqualTo(Long.MIN_VALUE);
        assertThat(map.floor(Long.MAX_VALUE - 1, out)).isTrue();
        assertThat(out.key).isZero();
        assertThat(map.rangeCount(1, 0)).isZero();
        assertThat(map.rangeCount(Long.MIN_VALUE, Long.MAX_VALUE)).isEqualTo(3);
        assertThat(map.rangeCount(Long.MAX_VALUE, Long.MAX_VALUE)).isEqualTo(1);
        assertThat(entries(map, Long.MIN_VALUE, Long.MAX_VALUE, 2))
                .containsExactly(Long.MIN_VALUE, -1L, 0L, 0L);
        assertThat(entries(map, 5, 4, 10)).isEmpty();
        assertThat(map.remove(Long.MIN_VALUE)).isEqualTo(-1);
        assertThat(map.remove(Long.MIN_VALUE)).isEqualTo(NO_VALUE);
        assertThat(map.size()).isEqualTo(2);
    }

    @ParameterizedTest
    @MethodSource("allSpecs")
    void refusesNoValue(String spec) {
        ConcurrentLongMap map = LongMaps.create(spec);
        map.put(7, 1);
        assertThatThrownBy(() -> map.put(7, NO_VALUE)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NO_VALUE");
        assertThatThrownBy(() -> map.putIfAbsent(8, NO_VALUE)).isInstanceOf(IllegalArgumentException.class);
        assertThat(map.get(7)).isEqualTo(1);
        assertThat(map.get(8)).isEqualTo(NO_VALUE);
        assertThat(map.size()).isEqualTo(1);
        assertThat(LongMaps.create(map.spec()).spec()).as("spec() round-trips").isEqualTo(map.spec());
    }

    @ParameterizedTest
    @MethodSource("allSpecs")
    void largeKeySetsOverTheWholeLongRange(String spec) {
        ConcurrentLongMap map = LongMaps.create(spec);
        TreeMap<Long, Long> model = new TreeMap<>();
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < 60_000; i++) {
            // uniform 64-bit keys, plus a dense cluster that makes the key distribution far from smooth
            long k = i % 3 == 0 ? r.nextLong(1000) : r.nextLong();
            assertThat(map.put(k, i)).isEqualTo(or(model.put(k, (long) i)));
        }
        assertSameContents(map, model);
        KeyResult out = new KeyResult();
        for (int i = 0; i < 5000; i++) {
            long k = r.nextLong();
            checkNear(map.ceiling(k, out), model.ceilingEntry(k), out, "ceiling " + k);
            checkNear(map.floor(k, out), model.floorEntry(k), out, "floor " + k);
        }
        List<Long> present = new ArrayList<>(model.keySet());
        for (int i = 0; i < present.size(); i += 2) {
            long k = present.get(i);
            assertThat(map.remove(k)).isEqualTo(or(model.remove(k)));
        }
        for (long k : present) {
            assertThat(map.get(k)).isEqualTo(or(model.get(k)));
        }
        assertSameContents(map, model);
    }

    @ParameterizedTest
    @MethodSource("threadSafeSpecs")
    void concurrentDisjointInsertionsAndRemovals(String spec) throws Exception {
        ConcurrentLongMap map = LongMaps.create(spec);
        int threads = 4;
        int perThread = 25_000;
        runThreads(threads, t -> {
            SplittableRandom r = new SplittableRandom(t);
            for (int i = 0; i < perThread; i++) {
                long k = (r.nextLong() & ~3L) | t; // low bits name the owner: disjoint sets
                map.put(k, k ^ 1);
            }
        });
        TreeMap<Long, Long> model = new TreeMap<>();
        for (int t = 0; t < threads; t++) {
            SplittableRandom r = new SplittableRandom(t);
            for (int i = 0; i < perThread; i++) {
                long k = (r.nextLong() & ~3L) | t;
                model.put(k, k ^ 1);
            }
        }
        assertSameContents(map, model);
        runThreads(threads, t -> {
            SplittableRandom r = new SplittableRandom(t);
            for (int i = 0; i < perThread; i++) {
                long k = (r.nextLong() & ~3L) | t;
                if (i % 2 == 0) {
                    map.remove(k);
                }
            }
        });
        for (int t = 0; t < threads; t++) {
            SplittableRandom r = new SplittableRandom(t);
            for (int i = 0; i < perThread; i++) {
                long k = (r.nextLong() & ~3L) | t;
                if (i % 2 == 0) {
                    model.remove(k);
                }
            }
        }
        assertSameContents(map, model);
    }

    @ParameterizedTest
    @MethodSource("threadSafeSpecs")
    void overlappingInsertionsHaveOneWinnerPerKey(String spec) throws Exception {
        ConcurrentLongMap map = LongMaps.create(spec);
        int threads = 4;
        int keys = 20_000;
        AtomicLong wins = new AtomicLong();
        AtomicLong removed = new AtomicLong();
        long[][] won = new long[threads][keys];
        runThreads(threads, t -> {
            for (int i = 0; i < keys; i++) {
                int k = (i * 7919 + t * 4099) % keys; // every thread visits every key, in its own order
                if (map.putIfAbsent(k, 1000L * k + t) == NO_VALUE) {
                    wins.incrementAndGet();
                    won[t][k] = 1;
                }
            }
        });
        assertThat(wins.get()).isEqualTo(keys);
        assertThat(map.size()).isEqualTo(keys);
        List<Long> listed = new ArrayList<>();
        map.forEachInRange(Long.MIN_VALUE, Long.MAX_VALUE, (k, v) -> listed.add(k));
        assertThat(listed).as("every key once, in order").isEqualTo(
                java.util.stream.LongStream.range(0, keys).boxed().toList());
        for (int k = 0; k < keys; k++) {
            long v = map.get(k);
            int owner = (int) (v - 1000L * k);
            assertThat(owner).as("key %d", k).isBetween(0, threads - 1);
            assertThat(won[owner][k]).as("key %d holds its winner's value", k).isEqualTo(1);
        }
        runThreads(threads, t -> {
            for (int i = 0; i < keys; i++) {
                if (map.remove((i * 31 + t * 5003) % keys) != NO_VALUE) {
                    removed.incrementAndGet();
                }
            }
        });
        assertThat(removed.get()).isEqualTo(keys);
        assertSameContents(map, new TreeMap<>());
    }

    @ParameterizedTest
    @MethodSource("threadSafeSpecs")
    void readersSeeConsistentAnswersWhileWritersChurn(String spec) throws Exception {
        ConcurrentLongMap map = LongMaps.create(spec);
        int writers = 2;
        int range = 4096;
        int rounds = 60_000;
        // writer w owns the keys k with k % writers == w; value = 3k + 1 always, so readers can check it
        runThreads(writers + 2, t -> {
            SplittableRandom r = new SplittableRandom(100 + t);
            KeyResult out = new KeyResult();
            for (int i = 0; i < rounds; i++) {
                long k = r.nextInt(range);
                if (t < writers) {
                    long own = k - k % writers + t;
                    if (r.nextBoolean()) {
                        map.put(own, 3 * own + 1);
                    } else {
                        map.remove(own);
                    }
                } else {
                    long v = map.get(k);
                    assertThat(v == NO_VALUE || v == 3 * k + 1).as("get(%d) = %d", k, v).isTrue();
                    if (map.ceiling(k, out)) {
                        assertThat(out.key).isGreaterThanOrEqualTo(k);
                        assertThat(out.value).isEqualTo(3 * out.key + 1);
                    }
                    if (map.floor(k, out)) {
                        assertThat(out.key).isLessThanOrEqualTo(k);
                        assertThat(out.value).isEqualTo(3 * out.key + 1);
                    }
                }
            }
        });
        TreeMap<Long, Long> model = new TreeMap<>();
        for (int t = 0; t < writers; t++) {
            SplittableRandom r = new SplittableRandom(100 + t);
            for (int i = 0; i < rounds; i++) {
                long k = r.nextInt(range);
                long own = k - k % writers + t;
                if (r.nextBoolean()) {
                    model.put(own, 3 * own + 1);
                } else {
                    model.remove(own);
                }
            }
        }
        assertSameContents(map, model);
    }

    interface Body {
        void run(int thread) throws Exception;
    }

    /** Runs {@code body} on {@code threads} threads started together; rethrows the first failure. */
    static void runThreads(int threads, Body body) throws Exception {
        CyclicBarrier start = new CyclicBarrier(threads);
        Throwable[] failure = new Throwable[1];
        List<Thread> all = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            int t = i;
            Thread th = new Thread(() -> {
                try {
                    start.await();
                    body.run(t);
                } catch (Throwable e) {
                    synchronized (failure) {
                        if (failure[0] == null) {
                            failure[0] = e;
                        }
                    }
                }
            });
            all.add(th);
            th.start();
        }
        for (Thread th : all) {
            th.join();
        }
        if (failure[0] instanceof Exception e) {
            throw e;
        }
        if (failure[0] != null) {
            throw new AssertionError(failure[0]);
        }
    }
}
