package org.scaleml.concurrent.pq;

/**
 * Parameters of the classic MultiQueue and its temporal-locality variants.
 *
 * @param queuesPerThread c: the queue holds c·T heaps for T threads; more heaps mean less contention but a
 *                        larger rank error (expected about (5/6)·c·T for two-choice deletion)
 * @param arity           arity of each heap (2 = binary heap), at most 65536; 4 or 8 are usually fastest
 * @param stickiness      s: a handle keeps its random choice of heap(s) for s consecutive operations of a kind
 *                        (1 = a fresh choice every time, the classic MultiQueue)
 * @param insertBuffer    elements a handle collects before inserting them all into one heap under one lock
 *                        acquisition (0 = no insertion buffer)
 * @param deleteBuffer    elements a handle takes from a heap at once and then returns one by one
 *                        (0 = no deletion buffer)
 *                        <p>Buffers are at most 2^24 elements each. A queue built from a configuration also checks
 *                        that its heaps and buffers fit half of the maximum heap before it allocates them.
 */
public record MultiQueueConfig(int queuesPerThread, int arity, int stickiness, int insertBuffer, int deleteBuffer) {

    /** The classic MultiQueue: c = 2, 4-ary heaps, no stickiness, no buffers. */
    public static final MultiQueueConfig CLASSIC = new MultiQueueConfig(2, 4, 1, 0, 0);

    /** Stickiness and buffers combined, in the spirit of the optimized variants of Postnikova et al. (PPoPP 2022). */
    public static final MultiQueueConfig TEMPORAL_LOCALITY = new MultiQueueConfig(2, 4, 8, 16, 16);

    public MultiQueueConfig {
        Checks.atLeast("queuesPerThread (c)", queuesPerThread, 1);
        Checks.arity("arity (d)", arity);
        Checks.atLeast("stickiness (stick)", stickiness, 1);
        Checks.between("insertBuffer (ibuf)", insertBuffer, 0, Checks.MAX_BUFFER);
        Checks.between("deleteBuffer (dbuf)", deleteBuffer, 0, Checks.MAX_BUFFER);
    }
}
