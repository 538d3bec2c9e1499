package org.scaleml.concurrent.map;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

/** C-IST specifics: the interpolation index, the shape after growth, and lookups during concurrent rebuilds. */
class InterpolationSearchTreeTest {
    /** Reference: the number of separators {@code <= key}. */
    private static int expectedChild(long[] seps, long key) {
        int i = Arrays.binarySearch(seps, key);
        return i >= 0 ? i + 1 : -i - 1;
    }

    @Test
    void interpolationFindsTheSameChildAsBinarySearch() {
        SplittableRandom r = new SplittableRandom(9);
        for (int trial = 0; trial < 300; trial++) {
            int n = 1 + r.nextInt(trial < 200 ? 64 : 3000);
            long[] seps = switch (trial % 4) {
                case 0 -> r.longs(n).toArray();                               // the whole long range
                case 1 -> r.longs(n, 0, 10 * n).toArray();                     // dense
                case 2 -> r.longs(n).map(x -> x % 7 == 0 ? x : x >>> 50).toArray(); // a cluster and outliers
                default -> r.longs(n, -5, 5).toArray();                        // tiny range
            };
            if (trial % 5 == 0) {
                seps[0] = Long.MIN_VALUE;
                seps[n - 1] = Long.MAX_VALUE;
            }
            seps = Arrays.stream(seps).sorted().distinct().toArray();
            IstInner node = new IstInner(seps, new Object[seps.length + 1], seps.length, 1.0);
            for (long s : seps) {
                for (long k : new long[]{s - 1, s, s + 1}) {
                    assertThat(node.childIndex(k)).as("key %d among %s", k, seps.length).isEqualTo(
                            expectedChild(seps, k));
                }
            }
            for (int i = 0; i < 200; i++) {
                long k = i % 2 == 0 ? r.nextLong() : seps[r.nextInt(seps.length)] + r.nextLong(-3, 4);
                assertThat(node.childIndex(k)).isEqualTo(expectedChild(seps, k));
            }
            for (long k : new long[]{Long.MIN_VALUE, Long.MAX_VALUE, 0}) {
                assertThat(node.childIndex(k)).isEqualTo(expectedChild(seps, k));
            }
        }
    }

    @Test
    void growingByRandomInsertionsKeepsTheTreeShallow() {
        InterpolationSearchTree t = new InterpolationSearchTree(16, LongMaps.CIST_REBUILD);
        SplittableRandom r = new SplittableRandom(4);
        long[] keys = r.longs(300_000).toArray();
        for (long k : keys) {
            t.put(k, 1);
        }
        double depth = 0;
        int max = 0;
        for (int i = 0; i < 10_000; i++) {
            int d = t.depth(keys[r.nextInt(keys.length)]);
            depth += d;
            max = Math.max(max, d);
        }
        // ideal: root (~550 children) -> nodes of ~550 keys (~69 leaves) -> leaves; splits since add a little
        assertThat(depth / 10_000).as("mean inner nodes per lookup").isLessThan(3.5);
        assertThat(max).isLessThanOrEqualTo(6);
    }

    @Test
    void lookupsNeverMissStableKeysWhileLargeSubtreesAreRebuiltInParallel() throws Exception {
        InterpolationSearchTree t = new InterpolationSearchTree(8, 0.25);
        int stable = 50_000;
        for (long k = 0; k < stable; k++) {
            t.put(2 * k, k);
        }
        AtomicBoolean writing = new AtomicBoolean(true);
        LongMapContractTest.runThreads(3, id -> {
            SplittableRandom r = new SplittableRandom(id);
            if (id < 2) {
                // odd keys churn: enough updates to rebuild the root (more than IstRebuild.PARALLEL_MIN keys)
                for (int i = 0; i < 120_000; i++) {
                    long k = 2 * r.nextLong(stable) + 1;
                    if (r.nextBoolean()) {
                        t.put(k, -k);
                    } else {
                        t.remove(k);
                    }
                }
                writing.set(false);
            } else {
                ConcurrentLongMap.KeyResult out = new ConcurrentLongMap.KeyResult();
                do {
                    long k = r.nextLong(stable);
                    assertThat(t.get(2 * k)).isEqualTo(k);
                    assertThat(t.floor(2 * k + 1, out)).isTrue();
                    assertThat(out.key).isBetween(2 * k, 2 * k + 1);
                } while (writing.get());
            }
        });
        assertThat(t.rangeCount(0, 2L * stable)).isEqualTo(t.size());
        for (long k = 0; k < stable; k++) {
            assertThat(t.get(2 * k)).isEqualTo(k);
            long odd = t.get(2 * k + 1);
            assertThat(odd == ConcurrentLongMap.NO_VALUE || odd == -(2 * k + 1)).isTrue();
        }
    }
}
