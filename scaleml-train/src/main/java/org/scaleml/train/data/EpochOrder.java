package org.scaleml.train.data;

import org.scaleml.common.SplitMix64;

/**
 * The order in which a rank visits its shard's examples in each epoch: a shuffle of {@code 0..n-1} seeded by
 * {@code (seed, rank, epoch)} alone. Because nothing carries over from earlier epochs, a resumed run recomputes the
 * order of any epoch directly (in {@code O(n)}) instead of replaying the ones before it, and gets exactly the
 * batches the uninterrupted run would have had. Different ranks and epochs get independent-looking orders.
 *
 * <p><b>Thread safety.</b> Stateless; all methods may be called concurrently.
 */
public final class EpochOrder {
    /*
     * seed(seed, rank, epoch) = mix(mix(mix(seed ^ EPOCH_DOMAIN) + GOLDEN * (rank + 1)) + GOLDEN * (epoch + 1)),
     * each mix (SplitMix64.mix) a bijection, so distinct (rank, epoch) pairs under one seed get distinct shuffle
     * seeds except for astronomically unlikely collisions; shuffling a permutation of positions and shuffling the
     * shard's own row array with the same seed give the same order (order(shard)[k] == shard[of(n)[k]]); the
     * shuffle is Sharding's SplitMix64 Fisher-Yates. The domain constant
     * keeps this stream apart from the sharding permutation even when both use the same user seed.
     */
    private static final long EPOCH_DOMAIN = 0x45504f4348000002L;

    private EpochOrder() {
    }

    /**
     * The rows of a shard in the visiting order of epoch {@code epoch}: {@code shard[of(shard.length, ...)[k]]}
     * for position k. The shard array is not modified.
     */
    public static int[] order(int[] shard, long seed, int rank, long epoch) {
        int[] a = shard.clone();
        Sharding.shuffle(a, a.length, checkedSeed(seed, rank, epoch));
        return a;
    }

    /** The visiting order of epoch {@code epoch} for rank {@code rank}: a permutation of {@code 0..n-1}. */
    public static int[] of(int n, long seed, int rank, long epoch) {
        int[] a = new int[n];
        fill(a, n, seed, rank, epoch);
        return a;
    }

    /** Writes {@link #of} into {@code dst[0, n)} without allocating. */
    public static void fill(int[] dst, int n, long seed, int rank, long epoch) {
        if (n < 0 || n > dst.length) {
            throw new IllegalArgumentException("n = " + n + " outside [0, " + dst.length + "]");
        }
        long s = checkedSeed(seed, rank, epoch);
        for (int i = 0; i < n; i++) {
            dst[i] = i;
        }
        Sharding.shuffle(dst, n, s);
    }

    private static long checkedSeed(long seed, int rank, long epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
        }
        return seedFor(seed, rank, epoch);
    }

    static long seedFor(long seed, int rank, long epoch) {
        // valueAt(h, k) = mix(h + GOLDEN * (k + 1)), the formula in the class comment.
        long h = SplitMix64.mix(seed ^ EPOCH_DOMAIN);
        h = SplitMix64.valueAt(h, rank);
        return SplitMix64.valueAt(h, epoch);
    }
}
