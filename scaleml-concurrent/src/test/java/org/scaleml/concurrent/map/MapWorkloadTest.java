package org.scaleml.concurrent.map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.BitSet;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class MapWorkloadTest {
    @Test
    void keysAreABijectionOfTheUniverse() {
        for (long keys : new long[]{1, 3, 1000, 4096, 12345}) {
            MapWorkload w = MapWorkload.of("uniform", "90-5-5", keys);
            assertThat(w.universe()).isEqualTo(2 * keys);
            BitSet seen = new BitSet();
            for (long r = 0; r < w.universe(); r++) {
                long k = w.key(r);
                assertThat(k).isBetween(0L, w.universe() - 1);
                assertThat(seen.get((int) k)).as("key %d seen twice", k).isFalse();
                seen.set((int) k);
            }
        }
        MapWorkload w = MapWorkload.of("uniform", "90-5-5", 1000);
        assertThat(w.key(0)).isNotEqualTo(0); // scrambled: rank order is not key order
    }

    @Test
    void prefillsAndRunsTheMixDeterministically() throws Exception {
        MapWorkload w = MapWorkload.of("zipf:0.99", "50-25-25", 5000);
        ConcurrentLongMap map = LongMaps.create("cist");
        w.prefill(map, 2);
        assertThat(map.size()).isEqualTo(5000);
        long[] ops = w.operations(0, 20_000);
        assertThat(w.operations(0, 20_000)).isEqualTo(ops);
        assertThat(w.operations(1, 20_000)).isNotEqualTo(ops);
        int[] kinds = new int[3];
        for (long op : ops) {
            kinds[(int) (op >>> 62)]++;
            assertThat(op & ((1L << 62) - 1)).isLessThan(w.universe());
        }
        assertThat(kinds[0]).isBetween(9_500, 10_500);
        assertThat(kinds[1]).isBetween(4_600, 5_400);
        MapWorkload.execute(map, ops, 0, ops.length);
        assertThat(map.size()).isBetween(3000L, 7000L);
    }

    @Test
    void zipfFrequenciesFollowThePowerLaw() {
        long n = 1000;
        double s = 0.99;
        ZipfSampler z = new ZipfSampler(n, s);
        SplittableRandom r = new SplittableRandom(1);
        int draws = 400_000;
        long[] counts = new long[(int) n + 1];
        for (int i = 0; i < draws; i++) {
            long k = z.sample(r);
            assertThat(k).isBetween(1L, n);
            counts[(int) k]++;
        }
        double norm = 0;
        for (int k = 1; k <= n; k++) {
            norm += Math.pow(k, -s);
        }
        for (int k : new int[]{1, 2, 3, 10, 100}) {
            double expected = draws * Math.pow(k, -s) / norm;
            assertThat((double) counts[k]).as("rank %d", k).isCloseTo(expected, org.assertj.core.data.Offset.offset(
                    5 * Math.sqrt(expected) + 1));
        }
        assertThat(new ZipfSampler(1, 2).sample(r)).isEqualTo(1);
        assertThat(new ZipfSampler(10, 1.0).sample(r)).isBetween(1L, 10L);
    }

    @Test
    void badDistributionsMixesAndCountsSayWhatIsWrong() {
        assertThatThrownBy(() -> MapWorkload.of("normal", "90-5-5", 10)).hasMessageContaining(
                "unknown distribution 'normal'; expected uniform or zipf:S");
        assertThatThrownBy(() -> MapWorkload.of("zipf:x", "90-5-5", 10)).hasMessageContaining("Zipf exponent");
        assertThatThrownBy(() -> MapWorkload.of("zipf:0", "90-5-5", 10)).hasMessageContaining("Zipf exponent");
        assertThatThrownBy(() -> MapWorkload.of("uniform", "90-5", 10)).hasMessageContaining(
                "mix '90-5' must be G-P-R");
        assertThatThrownBy(() -> MapWorkload.of("uniform", "90-5-6", 10)).hasMessageContaining("summing to 100");
        assertThatThrownBy(() -> MapWorkload.of("uniform", "90-5-5", 0)).hasMessageContaining("keys must be");
        assertThat(MapWorkload.of(" Uniform ", " 90-05-5", 10).mix()).isEqualTo("90-5-5");
        assertThat(MapWorkload.of("zipf:0.99", "100-0-0", 10).dist()).isEqualTo("zipf:0.99");
    }
}
