package org.scaleml.train.data;

import org.scaleml.common.SplitMix64;

/**
 * Deterministic data-parallel sharding: every rank of a job computes, with no communication, the same
 * seed-fixed permutation of the examples and takes its contiguous slice of it.
 *
 * <p><b>Properties</b> (property-tested): for a fixed {@code (size, world, seed)} the shards of ranks
 * {@code 0..world-1} are pairwise disjoint and their union is every example exactly once; shard sizes differ by at
 * most one (the first {@code size % world} ranks hold one more); the result depends only on the arguments
 * (same on every JVM and machine: the generator is our own SplitMix64, not a JDK generator whose algorithm might
 * change).
 *
 * <p><b>Thread safety.</b> Stateless; all methods may be called concurrently.
 */
public final class Sharding {
    /*
     * Permutation: Fisher-Yates driven by SplitMix64 [1] seeded with SplitMix64.mix(seed ^ SHARD_DOMAIN); index j for
     * position i is the high 32 bits of a 64-bit draw multiplied by i + 1 (Lemire's multiply-shift [2]), whose
     * bias is below (i + 1) / 2^32, irrelevant for shuffling data. Rank r's slice starts at
     * r * (size / world) + min(r, size % world).
     *
     * [1] G. Steele, D. Lea, C. Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014.
     * [2] D. Lemire, "Fast random integer generation in an interval", ACM TOMACS 2019.
     */

    private static final long SHARD_DOMAIN = 0x5348415244000001L;

    private Sharding() {
    }

    /**
     * The example indices (into {@code data}) of rank {@code rank}'s shard, in slice order.
     *
     * @throws IllegalArgumentException if {@code world < 1}, {@code rank} is outside {@code [0, world)}, or there
     *                                  are fewer examples than ranks
     */
    public static int[] shard(Dataset data, int rank, int world, long seed) {
        return shardRows(data.size(), rank, world, seed);
    }

    /** Rank {@code rank}'s shard as a data set of its own (a copy of its rows, named {@code name[rank/world]}). */
    public static Dataset shardDataset(Dataset data, int rank, int world, long seed) {
        return data.subset(data.name() + "[" + rank + "/" + world + "]", shard(data, rank, world, seed));
    }

    /** The example indices of rank {@code rank}'s shard of a data set of {@code size} examples, in slice order. */
    public static int[] shardRows(int size, int rank, int world, long seed) {
        check(size, rank, world);
        int[] perm = permutation(size, SplitMix64.mix(seed ^ SHARD_DOMAIN));
        int from = shardStart(size, rank, world);
        int[] rows = new int[shardSize(size, rank, world)];
        System.arraycopy(perm, from, rows, 0, rows.length);
        return rows;
    }

    /** Number of examples rank {@code rank} holds: {@code size / world}, plus one for the first ranks. */
    public static int shardSize(int size, int rank, int world) {
        check(size, rank, world);
        return size / world + (rank < size % world ? 1 : 0);
    }

    /** The smallest shard: {@code size / world}. Synchronous schedules size their epochs from it. */
    public static int minShardSize(int size, int world) {
        check(size, 0, world);
        return size / world;
    }

    private static int shardStart(int size, int rank, int world) {
        return rank * (size / world) + Math.min(rank, size % world);
    }

    private static void check(int size, int rank, int world) {
        if (world < 1) {
            throw new IllegalArgumentException("world size must be >= 1, got " + world);
        }
        if (rank < 0 || rank >= world) {
            throw new IllegalArgumentException("rank " + rank + " outside [0, " + world + ")");
        }
        if (size < world) {
            throw new IllegalArgumentException(size + " examples cannot be shared by " + world + " ranks");
        }
    }

    /** A uniformly shuffled {@code 0..n-1}, fixed by the seed. */
    static int[] permutation(int n, long seed) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        shuffle(p, n, seed);
        return p;
    }

    /** Fisher-Yates shuffle of {@code a[0, n)} with SplitMix64 from {@code seed}. */
    static void shuffle(int[] a, int n, long seed) {
        SplitMix64 rnd = new SplitMix64(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
