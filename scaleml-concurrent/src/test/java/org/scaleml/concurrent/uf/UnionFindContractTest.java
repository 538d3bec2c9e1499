package org.scaleml.concurrent.uf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The one suite every {@link ConcurrentUnionFind} variant runs: set semantics against the sequential reference,
 * find idempotence, argument checks, and (for the thread-safe variants) concurrent unions from 2 to 4 threads
 * whose partition must equal the sequential one.
 */
class UnionFindContractTest {
    /** Every valid combination of the lock-free options, and the baselines. */
    static List<String> allVariants() {
        List<String> specs = new ArrayList<>(List.of("uf-seq", "uf-lock", "uf-lock:stripes=7", "uf"));
        for (String link : List.of("index", "rank")) {
            for (String compact : List.of("none", "splitting", "halving", "compression")) {
                for (String write : List.of("cas", "plain")) {
                    for (String early : List.of("false", "true")) {
                        for (String immediate : List.of("false", "true")) {
                            if (early.equals("true") && compact.equals("compression")) {
                                continue;
                            }
                            specs.add("uf:link=" + link + ",compact=" + compact + ",write=" + write + ",early="
                                    + early + ",immediate=" + immediate);
                        }
                    }
                }
            }
        }
        return specs;
    }

    static List<String> threadSafeVariants() {
        return allVariants().stream().filter(UnionFinds::isThreadSafe).toList();
    }

    /** Union pairs drawn uniformly from {@code n} elements. */
    static int[] randomPairs(int n, int pairs, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] e = new int[2 * pairs];
        for (int i = 0; i < e.length; i++) {
            e[i] = r.nextInt(n);
        }
        return e;
    }

    @ParameterizedTest
    @MethodSource("allVariants")
    void agreesWithTheSequentialReferenceOnRandomUnions(String spec) {
        int n = 2000;
        ConcurrentUnionFind uf = UnionFinds.create(spec, n, 7);
        SequentialUnionFind model = new SequentialUnionFind(n);
        assertThat(uf.size()).isEqualTo(n);
        int[] e = randomPairs(n, 3000, 11);
        SplittableRandom probe = new SplittableRandom(5);
        for (int i = 0; i < e.length; i += 2) {
            assertThat(uf.union(e[i], e[i + 1])).as("union(%d, %d)", e[i], e[i + 1])
                    .isEqualTo(model.union(e[i], e[i + 1]));
            int a = probe.nextInt(n);
            int b = probe.nextInt(n);
            assertThat(uf.sameSet(a, b)).isEqualTo(model.sameSet(a, b));
        }
        assertSamePartition(uf, model);
    }

    @ParameterizedTest
    @MethodSource("allVariants")
    void findIsIdempotentAndNamesAMemberThatIsItsOwnRepresentative(String spec) {
        int n = 500;
        ConcurrentUnionFind uf = UnionFinds.create(spec, n, 3);
        int[] e = randomPairs(n, 400, 2);
        for (int i = 0; i < e.length; i += 2) {
            uf.union(e[i], e[i + 1]);
        }
        for (int x = 0; x < n; x++) {
            int r = uf.find(x);
            assertThat(uf.find(x)).isEqualTo(r);
            assertThat(uf.find(r)).isEqualTo(r);
            assertThat(uf.sameSet(x, r)).isTrue();
            assertThat(uf.union(x, r)).isFalse();
        }
        assertThat(uf.union(4, 4)).isFalse();
        assertThat(uf.sameSet(4, 4)).isTrue();
    }

    @ParameterizedTest
    @MethodSource("allVariants")
    void rejectsElementsOutOfRange(String spec) {
        ConcurrentUnionFind uf = UnionFinds.create(spec, 10, 1);
        assertThatThrownBy(() -> uf.find(10)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> uf.find(-1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> uf.union(0, 10)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> uf.union(-1, 0)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> uf.sameSet(3, 10)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> uf.sameSet(10, 3)).isInstanceOf(IndexOutOfBoundsException.class);
        ConcurrentUnionFind empty = UnionFinds.create(spec, 0, 1);
        assertThat(empty.size()).isZero();
        assertThatThrownBy(() -> empty.find(0)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @ParameterizedTest
    @MethodSource("threadSafeVariants")
    void concurrentUnionsGiveTheSequentialPartition(String spec) throws Exception {
        int n = 20_000;
        int[] e = randomPairs(n, 16_000, 99);
        SequentialUnionFind model = new SequentialUnionFind(n);
        int merges = 0;
        for (int i = 0; i < e.length; i += 2) {
            merges += model.union(e[i], e[i + 1]) ? 1 : 0;
        }
        for (int threads = 2; threads <= 4; threads++) {
            ConcurrentUnionFind uf = UnionFinds.create(spec, n, threads);
            int[] merged = new int[threads];
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Thread> workers = new ArrayList<>();
            List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                int count = threads;
                workers.add(new Thread(() -> {
                    try {
                        start.await();
                        // Every thread walks all pairs from its own offset, so the same unions race.
                        int pairs = e.length / 2;
                        for (int k = 0; k < pairs; k++) {
                            int i = 2 * ((k + id * pairs / count) % pairs);
                            if (uf.union(e[i], e[i + 1])) {
                                merged[id]++;
                            }
                            uf.sameSet(e[i], e[(i + 3) % e.length]);
                        }
                    } catch (Throwable ex) {
                        failures.add(ex);
                    }
                }));
            }
            workers.forEach(Thread::start);
            for (Thread w : workers) {
                w.join();
            }
            assertThat(failures).isEmpty();
            assertThat(java.util.Arrays.stream(merged).sum()).as("merges reported at %d threads", threads)
                    .isEqualTo(merges);
            assertSamePartition(uf, model);
        }
    }

    /** Same partition: x and its reference representative are together, and representatives are apart. */
    static void assertSamePartition(ConcurrentUnionFind uf, SequentialUnionFind model) {
        int n = model.size();
        int[] repOfModelRoot = new int[n];
        java.util.Arrays.fill(repOfModelRoot, -1);
        for (int x = 0; x < n; x++) {
            int m = model.find(x);
            int r = uf.find(x);
            if (repOfModelRoot[m] < 0) {
                repOfModelRoot[m] = r;
            }
            assertThat(r).as("representative of %d", x).isEqualTo(repOfModelRoot[m]);
        }
        long distinct = java.util.Arrays.stream(repOfModelRoot).filter(v -> v >= 0).distinct().count();
        long roots = java.util.Arrays.stream(repOfModelRoot).filter(v -> v >= 0).count();
        assertThat(distinct).as("different sets have different representatives").isEqualTo(roots);
    }
}
