package org.scaleml.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SplitMix64Test {

    @Test
    void pinnedOutputs() {
        assertThat(SplitMix64.mix(0)).isEqualTo(0L);
        // The first outputs of SplitMix64 seeded with 0 (the reference sequence).
        SplitMix64 g = new SplitMix64(0);
        assertThat(g.nextLong()).isEqualTo(0xe220a8397b1dcdafL);
        assertThat(g.nextLong()).isEqualTo(0x6e789e6aa1b965f4L);
        assertThat(g.nextLong()).isEqualTo(0x06c45d188009454fL);
        assertThat(SplitMix64.mix(SplitMix64.GOLDEN_GAMMA)).isEqualTo(0xe220a8397b1dcdafL);
    }

    @Test
    void valueAtEqualsStepping() {
        for (long seed : new long[] {0, 1, -1, 42, Long.MIN_VALUE, 0x1234_5678_9ABC_DEF0L}) {
            SplitMix64 g = new SplitMix64(seed);
            for (int k = 0; k < 100; k++) {
                assertThat(g.nextLong()).isEqualTo(SplitMix64.valueAt(seed, k));
            }
        }
    }

    @Test
    void nextIntIsMultiplyShiftOfTheHighBits() {
        SplitMix64 a = new SplitMix64(7);
        SplitMix64 b = new SplitMix64(7);
        for (int bound : new int[] {1, 2, 3, 10, 1000, Integer.MAX_VALUE}) {
            for (int k = 0; k < 50; k++) {
                int v = a.nextInt(bound);
                assertThat(v).isBetween(0, bound - 1).isEqualTo((int) (((b.nextLong() >>> 32) * bound) >>> 32));
            }
        }
        assertThatThrownBy(() -> a.nextInt(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void mixIsInjectiveOnASample() {
        java.util.HashSet<Long> seen = new java.util.HashSet<>();
        for (long x = -5000; x < 5000; x++) {
            assertThat(seen.add(SplitMix64.mix(x))).isTrue();
        }
    }
}
