package org.scaleml.graph.incremental;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

class InsertionOrderTest {
    @Test
    void isADeterministicPermutationWithItsInverse() {
        int[] a = InsertionOrder.permutation(1000, 7);
        assertThat(InsertionOrder.permutation(1000, 7)).isEqualTo(a);
        assertThat(InsertionOrder.permutation(1000, 8)).isNotEqualTo(a);
        int[] sorted = a.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < 1000; i++) {
            assertThat(sorted[i]).isEqualTo(i);
        }
        int[] rank = InsertionOrder.ranks(a);
        for (int i = 0; i < 1000; i++) {
            assertThat(rank[a[i]]).isEqualTo(i);
        }
        assertThat(InsertionOrder.permutation(0, 1)).isEmpty();
        assertThatThrownBy(() -> InsertionOrder.permutation(-1, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void looksUniform() {
        // Position of element 0 over many seeds: each of 10 positions about 1/10 of the time (generous bounds).
        int[] count = new int[10];
        for (long seed = 0; seed < 5000; seed++) {
            int[] p = InsertionOrder.permutation(10, seed);
            for (int i = 0; i < 10; i++) {
                if (p[i] == 0) {
                    count[i]++;
                }
            }
        }
        for (int c : count) {
            assertThat(c).isBetween(380, 620);
        }
    }

    @Test
    void randomInputsAreValid() {
        double[][] p = RandomInputs.uniformPoints(10_000, 3);
        DelaunayTriangulation.checkInput(p[0], p[1]);
        for (double v : p[0]) {
            assertThat(v).isBetween(0.0, 1.0);
        }
        assertThat(RandomInputs.uniformKeys(100, 1)).hasSize(100).isEqualTo(RandomInputs.uniformKeys(100, 1));
    }
}
