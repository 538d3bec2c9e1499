package org.scaleml.train.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.scaleml.common.SplitMix64;

class ShardingTest {

    @Property(tries = 300)
    void shardsPartitionTheExamples(@ForAll @IntRange(min = 1, max = 2000) int size,
                                    @ForAll @IntRange(min = 1, max = 17) int world, @ForAll long seed) {
        if (size < world) {
            return;
        }
        boolean[] seen = new boolean[size];
        int min = Integer.MAX_VALUE;
        int max = 0;
        int total = 0;
        for (int r = 0; r < world; r++) {
            int[] rows = Sharding.shardRows(size, r, world, seed);
            assertThat(rows.length).isEqualTo(Sharding.shardSize(size, r, world));
            min = Math.min(min, rows.length);
            max = Math.max(max, rows.length);
            total += rows.length;
            for (int i : rows) {
                assertThat(seen[i]).as("example %d in two shards", i).isFalse();
                seen[i] = true;
            }
            assertThat(rows).containsExactly(Sharding.shardRows(size, r, world, seed));
        }
        assertThat(total).isEqualTo(size);
        assertThat(max - min).isLessThanOrEqualTo(1);
        assertThat(min).isEqualTo(Sharding.minShardSize(size, world));
    }

    @Test
    void seedChangesTheShardsAndShardsAreMixed() {
        int[] a = Sharding.shardRows(1000, 0, 4, 1);
        int[] b = Sharding.shardRows(1000, 0, 4, 2);
        assertThat(a).isNotEqualTo(b);
        // a shuffled shard is not a contiguous block of the file
        int[] s = a.clone();
        Arrays.sort(s);
        assertThat(s[s.length - 1] - s[0]).isGreaterThan(900);
    }

    @Test
    void fixedValuesGuardCrossVersionDeterminism() {
        // the permutation is our own SplitMix64 Fisher-Yates: pin a few values so a change is noticed
        int[] p = Sharding.permutation(10, 12345);
        int[] again = Sharding.permutation(10, 12345);
        assertThat(p).containsExactly(again);
        int[] sorted = p.clone();
        Arrays.sort(sorted);
        assertThat(sorted).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(SplitMix64.mix(0)).isEqualTo(0L);
        assertThat(SplitMix64.mix(SplitMix64.GOLDEN_GAMMA)).isEqualTo(0xe220a8397b1dcdafL); // SplitMix64(0), 1st
    }

    @Test
    void shardDatasetCopiesRows() {
        float[] x = new float[20];
        int[] y = new int[10];
        for (int i = 0; i < 10; i++) {
            x[2 * i] = i;
            x[2 * i + 1] = -i;
            y[i] = i % 2;
        }
        Dataset d = Dataset.dense("d", x, y, 2, 2);
        int[] rows = Sharding.shard(d, 1, 3, 9);
        Dataset s = Sharding.shardDataset(d, 1, 3, 9);
        assertThat(s.name()).isEqualTo("d[1/3]");
        assertThat(s.size()).isEqualTo(rows.length).isEqualTo(3);
        for (int k = 0; k < rows.length; k++) {
            assertThat(s.dense()[2 * k]).isEqualTo(rows[k]);
            assertThat(s.label(k)).isEqualTo(rows[k] % 2);
        }
    }

    @Test
    void badArguments() {
        assertThatThrownBy(() -> Sharding.shardRows(10, 3, 3, 0)).hasMessageContaining("rank 3 outside [0, 3)");
        assertThatThrownBy(() -> Sharding.shardRows(10, 0, 0, 0)).hasMessageContaining("world size");
        assertThatThrownBy(() -> Sharding.shardRows(2, 0, 3, 0)).hasMessageContaining("2 examples cannot");
    }
}
