package org.scaleml.train.data;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The mini-batches of one rank: step {@code s} of epoch {@code e} is the examples at positions
 * {@code [s * batchSize, (s + 1) * batchSize)} of that epoch's {@link EpochOrder#order order} of the rank's shard
 * (an array of row indices into the data set, e.g. from {@link Sharding#shard}, or all rows). Any
 * {@code (epoch, step)} can be produced directly, so a run resumed from a checkpoint at step {@code s} of epoch
 * {@code e} continues with exactly the batches the uninterrupted run would have used, without replaying.
 *
 * <p><b>Last partial batch.</b> With {@code dropLast} (the default for synchronous training) an epoch has
 * {@code floor(n / batchSize)} full batches and the leftover examples of that epoch's order are skipped (different
 * ones every epoch, since the order changes). Without it the last batch holds the remaining {@code n % batchSize}
 * examples. Synchronous data-parallel training needs every rank to take the same number of steps, but shard sizes
 * may differ by one; {@link #synchronous} therefore sizes every rank's epoch from the smallest shard
 * ({@link Sharding#minShardSize}), which can drop one more example on the larger shards.
 *
 * <p><b>Thread safety.</b> Not thread-safe: the schedule caches the order of the epoch it last served. Use one
 * schedule per thread (they are cheap; the data set is shared).
 */
public final class BatchSchedule {
    /*
     * State: the data set, the shard's rows, the batch size, the steps per epoch (fixed at construction), and a cache of one epoch's
     * order, recomputed (O(n), no allocation) only when a different epoch is asked for. fill() copies a slice of
     * the order into the batch's own row array, so batches never alias the cache.
     */
    private final Dataset data;
    private final int[] shard;
    private final int batchSize;
    private final long seed;
    private final int rank;
    private final boolean dropLast;
    private final int steps;
    private final int[] order;
    private long cachedEpoch = -1;

    /**
     * A schedule over a rank's shard.
     *
     * @param data      the data set the rows index into
     * @param shard     the rank's rows of {@code data} (e.g. from {@link Sharding#shard}); copied
     * @param batchSize examples per batch, at least 1
     * @param seed      the job's seed
     * @param rank      the rank (part of the shuffle seed)
     * @param dropLast  skip the last partial batch of each epoch
     * @throws IllegalArgumentException if the batch size is not positive, a row is outside the data set, or
     *                                  {@code dropLast} and the shard holds fewer examples than one batch
     */
    public BatchSchedule(Dataset data, int[] shard, int batchSize, long seed, int rank, boolean dropLast) {
        this(data, shard, batchSize, seed, rank, dropLast, stepsPerEpoch(shard.length, Math.max(1, batchSize),
                dropLast));
    }

    /** A schedule over all of {@code data} (a single worker, or a data set that is already a shard). */
    public BatchSchedule(Dataset data, int batchSize, long seed, int rank, boolean dropLast) {
        this(data, identity(data.size()), batchSize, seed, rank, dropLast);
    }

    private BatchSchedule(Dataset data, int[] shard, int batchSize, long seed, int rank, boolean dropLast,
                          int steps) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        if (steps < 1) {
            throw new IllegalArgumentException("batch size " + batchSize + " exceeds the " + shard.length
                    + " examples of the shard of " + data.name() + ": an epoch would have no full batch");
        }
        for (int r : shard) {
            if (r < 0 || r >= data.size()) {
                throw new IllegalArgumentException("shard row " + r + " outside [0, " + data.size() + ")");
            }
        }
        this.data = data;
        this.shard = shard.clone();
        this.batchSize = batchSize;
        this.seed = seed;
        this.rank = rank;
        this.dropLast = dropLast;
        this.steps = steps;
        this.order = new int[shard.length];
    }

    /**
     * The schedule of rank {@code rank} in synchronous training on {@code world} ranks: its
     * {@link Sharding#shard shard} of {@code data} (by {@code seed}), last partial batches dropped, and
     * {@code stepsPerEpoch(minShardSize(data.size(), world), batchSize)} steps per epoch on every rank.
     */
    public static BatchSchedule synchronous(Dataset data, int rank, int world, int batchSize, long seed) {
        int[] shard = Sharding.shard(data, rank, world, seed);
        int min = Sharding.minShardSize(data.size(), world);
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        return new BatchSchedule(data, shard, batchSize, seed, rank, true, stepsPerEpoch(min, batchSize));
    }

    /**
     * The schedule of a rank whose data set is its whole part (data placed by a cluster manager): every row of
     * {@code part}, last partial batches dropped, and exactly {@code steps} steps per epoch (the same on every rank,
     * e.g. from the smallest part).
     *
     * @throws IllegalArgumentException if {@code part} holds fewer than {@code steps * batchSize} examples
     */
    public static BatchSchedule wholePart(Dataset part, int steps, int batchSize, long seed, int rank) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        if ((long) steps * batchSize > part.size()) {
            throw new IllegalArgumentException(part.name() + ": " + steps + " steps of " + batchSize
                    + " examples need more than the part's " + part.size());
        }
        return new BatchSchedule(part, identity(part.size()), batchSize, seed, rank, true, steps);
    }

    private static int[] identity(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }

    /** Steps per epoch when dropping the last partial batch: {@code shardSize / batchSize}. */
    public static int stepsPerEpoch(int shardSize, int batchSize) {
        return stepsPerEpoch(shardSize, batchSize, true);
    }

    /** Steps per epoch: {@code floor(shardSize / batchSize)} when dropping the last batch, else the ceiling. */
    public static int stepsPerEpoch(int shardSize, int batchSize, boolean dropLast) {
        if (batchSize < 1 || shardSize < 0) {
            throw new IllegalArgumentException("need batchSize >= 1 and shardSize >= 0, got " + batchSize + ", "
                    + shardSize);
        }
        return dropLast ? shardSize / batchSize : (int) ((shardSize + (long) batchSize - 1) / batchSize);
    }

    public int stepsPerEpoch() {
        return steps;
    }

    public int batchSize() {
        return batchSize;
    }

    public boolean dropLast() {
        return dropLast;
    }

    /** The data set the batches' rows index into. */
    public Dataset data() {
        return data;
    }

    /** Number of examples in the shard. */
    public int shardSize() {
        return shard.length;
    }

    /** A batch with room for {@link #batchSize()} rows, to pass to {@link #fill}. */
    public Batch newBatch() {
        return new Batch(data, new int[batchSize], 0);
    }

    /**
     * Points {@code batch} at step {@code step} of epoch {@code epoch}: the rows
     * {@code EpochOrder.order(shard, seed, rank, epoch)[step * batchSize ..]} of {@link #data()}.
     *
     * @throws IllegalArgumentException if the step is outside {@code [0, stepsPerEpoch())}, the epoch is negative,
     *                                  or the batch has less room than {@link #batchSize()}
     */
    public void fill(Batch batch, long epoch, int step) {
        if (step < 0 || step >= steps) {
            throw new IllegalArgumentException("step " + step + " outside [0, " + steps + ")");
        }
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
        }
        int[] rows = batch.rowBuffer();
        if (rows.length < batchSize) {
            throw new IllegalArgumentException("batch holds " + rows.length + " rows, the schedule needs "
                    + batchSize + " (use newBatch())");
        }
        if (epoch != cachedEpoch) {
            System.arraycopy(shard, 0, order, 0, shard.length);
            Sharding.shuffle(order, order.length, EpochOrder.seedFor(seed, rank, epoch));
            cachedEpoch = epoch;
        }
        int from = step * batchSize;
        int n = Math.min(batchSize, order.length - from);
        System.arraycopy(order, from, rows, 0, n);
        batch.set(data, rows, n);
    }

    /** The batches of {@code epoch} from step {@code fromStep} on; the iterator returns one reused batch. */
    public Iterator<Batch> epoch(long epoch, int fromStep) {
        if (fromStep < 0 || fromStep > steps) {
            throw new IllegalArgumentException("step " + fromStep + " outside [0, " + steps + "]");
        }
        Batch b = newBatch();
        return new Iterator<>() {
            private int s = fromStep;

            @Override
            public boolean hasNext() {
                return s < steps;
            }

            @Override
            public Batch next() {
                if (s >= steps) {
                    throw new NoSuchElementException("epoch " + epoch + " has " + steps + " steps");
                }
                fill(b, epoch, s++);
                return b;
            }
        };
    }

    /** The batches of a whole epoch. */
    public Iterator<Batch> epoch(long epoch) {
        return epoch(epoch, 0);
    }
}
