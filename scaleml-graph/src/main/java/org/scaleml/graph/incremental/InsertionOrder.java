package org.scaleml.graph.incremental;

import org.scaleml.common.SplitMix64;

/**
 * The random insertion order shared by the sequential and parallel incremental algorithms: a seeded permutation
 * of {@code 0..n-1} (Fisher-Yates with {@link SplitMix64}). Deterministic and portable; O(n).
 */
public final class InsertionOrder {
    private InsertionOrder() {
    }

    /**
     * @return {@code order} with {@code order[i]} = the input index inserted i-th, a uniformly random-looking
     *     permutation determined by {@code seed}
     * @throws IllegalArgumentException if {@code n < 0}
     */
    public static int[] permutation(int n, long seed) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be at least 0, got " + n);
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplitMix64 rnd = new SplitMix64(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /** @return the inverse permutation: {@code rank[order[i]] = i} */
    public static int[] ranks(int[] order) {
        int[] rank = new int[order.length];
        for (int i = 0; i < order.length; i++) {
            rank[order[i]] = i;
        }
        return rank;
    }
}
