package org.scaleml.concurrent.map;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * The splay-list's distribution adaptivity, statistically: after Zipf-distributed lookups, the search path of a
 * key read with frequency p is O(log 1/p) ([2] Aksenov et al., DISC 2020, Theorem 1), hence far shorter for the
 * popular keys than the O(log n) of a balanced skip-list; with no skew the list stays balanced.
 */
class SplayListPathLengthTest {
    private static final int N = 20_000;
    private static final int LOOKUPS = 600_000;

    /** Keys of ranks 0..N-1, scattered (popularity unrelated to key order). */
    private static long keyOf(long rank) {
        return org.scaleml.common.SplitMix64.mix(rank + 1);
    }

    private static SplayList filled(String spec) {
        SplayList list = (SplayList) LongMaps.create(spec);
        for (long r = 0; r < N; r++) {
            list.put(keyOf(r), r);
        }
        return list;
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    private static double meanPath(SplayList list, int fromRank, int toRank) {
        double sum = 0;
        for (int r = fromRank; r < toRank; r++) {
            sum += list.pathLength(keyOf(r));
        }
        return sum / (toRank - fromRank);
    }

    @Test
    void popularKeysAreFoundInLogarithmicallyFewStepsOfTheirFrequency() {
        for (String spec : new String[]{"splay", "splay:sample=1"}) {
            SplayList list = filled(spec);
            double uniformBefore = meanPath(list, 0, N);
            ZipfSampler zipf = new ZipfSampler(N, 1.0);
            SplittableRandom random = new SplittableRandom(7);
            long[] count = new long[N];
            for (int i = 0; i < LOOKUPS; i++) {
                int rank = (int) zipf.sample(random) - 1;
                count[rank]++;
                assertThat(list.get(keyOf(rank))).isEqualTo(rank);
            }
            int top = 32;
            double ratio = 0;
            for (int r = 0; r < top; r++) {
                double log = log2((double) LOOKUPS / count[r]);
                int path = list.pathLength(keyOf(r));
                // the bound of [2]: c * log2(1/p) plus a constant; c = 2 and +4 leave room for the
                // sampling noise and the few top levels that only hold the head (measured: 1 to 1.6 log2(1/p))
                assertThat((double) path).as("%s: rank %d, p = %.4f", spec, r, count[r] / (double) LOOKUPS)
                        .isLessThanOrEqualTo(2 * log + 4);
                ratio += path / (log + 1);
            }
            double topMean = meanPath(list, 0, top);
            double log2n = log2(N);
            assertThat(ratio / top).as("%s: mean path / (log2(1/p) + 1) of the top keys", spec).isLessThan(2.0);
            // a balanced skip-list reads about 1.5 log2 n nodes per lookup (measured: 21.5 for n = 20000)
            assertThat(topMean).as("%s: top keys vs log2 n = %.1f", spec, log2n).isLessThan(log2n);
            assertThat(topMean).as("%s: top keys vs all keys before the skew (%.1f)", spec, uniformBefore)
                    .isLessThan(0.5 * uniformBefore);
        }
    }

    @Test
    void withoutSkewTheListIsABalancedSkipList() {
        SplayList list = filled("splay");
        double mean = meanPath(list, 0, N);
        // a balanced skip-list of branching 2 reads about 2 log2 n nodes; random insertion order keeps it so
        assertThat(mean).isLessThan(2.5 * log2(N));
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 200_000; i++) {
            list.get(keyOf(random.nextInt(N)));
        }
        assertThat(meanPath(list, 0, N)).isLessThan(2.5 * log2(N));
    }

    @Test
    void aRemovedPopularKeyComesBackAtItsHeight() {
        SplayList list = filled("splay:sample=1");
        long hot = keyOf(17);
        for (int i = 0; i < 20_000; i++) {
            list.get(hot);
        }
        int path = list.pathLength(hot);
        assertThat((double) path).isLessThan(0.5 * log2(N));
        assertThat(list.remove(hot)).isEqualTo(17);
        assertThat(list.get(hot)).isEqualTo(ConcurrentLongMap.NO_VALUE);
        assertThat(list.size()).isEqualTo(N - 1);
        assertThat(list.put(hot, 5)).isEqualTo(ConcurrentLongMap.NO_VALUE);
        assertThat(list.pathLength(hot)).as("revived at its height").isLessThanOrEqualTo(path + 1);
        assertThat(list.get(hot)).isEqualTo(5);
        // removing many popular keys for good: their tombstones are unlinked beyond 64 + size/16
        for (long r = 0; r < N; r++) {
            list.get(keyOf(r));
        }
        for (long r = 0; r < N / 2; r++) {
            assertThat(list.remove(keyOf(r))).isNotEqualTo(ConcurrentLongMap.NO_VALUE);
        }
        assertThat(list.size()).isEqualTo(N - N / 2);
        assertThat(list.rangeCount(Long.MIN_VALUE, Long.MAX_VALUE)).isEqualTo(N - N / 2);
        assertThat(list.tombstones()).isLessThanOrEqualTo(64 + (N - N / 2) / 16);
    }
}
