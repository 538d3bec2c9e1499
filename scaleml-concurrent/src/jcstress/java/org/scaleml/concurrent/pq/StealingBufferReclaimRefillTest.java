package org.scaleml.concurrent.pq;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The seqlock case of the {@link StealingMultiQueueSlot} stealing buffer: while a thief copies a full buffer A
 * (four elements), the owner takes A back with {@link StealingMultiQueueSlot#reclaim} and at once overwrites the
 * array with a new buffer B (three elements) and publishes it. The thief's copy is optimistic; its claim may
 * succeed only if the copy is exactly A (the owner had not reclaimed it) or exactly B (the thief saw B's state),
 * never a mix of the two, and A never goes both to the owner and to the thief (see "Why a thief's copy is
 * consistent" in {@link StealingMultiQueue}).
 *
 * <p>The owner reclaims as {@link StealingMultiQueue} does: only a buffer it observed full (an even state means
 * a thief has taken it).
 *
 * <p>Result: {@code r1} 1 if the owner reclaimed A (and published B), else 0; {@code r2} the thief's claim: 0
 * nothing, 1 exactly A, 2 exactly B, -1 anything else (a torn copy).
 */
@JCStressTest
@Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "the thief claimed A first; the owner's reclaim failed")
@Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "the owner reclaimed A; the thief claimed nothing")
@Outcome(id = "1, 2", expect = ACCEPTABLE, desc = "the owner reclaimed A and published B; the thief claimed B")
@Outcome(id = "1, 1", expect = FORBIDDEN, desc = "A both reclaimed and stolen: elements duplicated")
@Outcome(id = "0, 0", expect = FORBIDDEN, desc = "A neither reclaimed nor stolen: elements lost")
@Outcome(expect = FORBIDDEN, desc = "a torn copy (a mix of A and B) was claimed, or B without a reclaim")
@State
public class StealingBufferReclaimRefillTest {

    private static final long[] A = {10, 100, 20, 200, 30, 300, 40, 400};
    private static final long[] B = {50, 500, 60, 600, 70, 700};

    private final StealingMultiQueueSlot slot = new StealingMultiQueueSlot(0, 4, 4, 4);
    private final long[] loot = new long[8];

    public StealingBufferReclaimRefillTest() {
        StealingBuffers.publish(slot, slot.stateAcquire(), A);
    }

    @Actor
    public void owner(II_Result r) {
        long full = slot.stateAcquire();
        if (!StealingMultiQueueSlot.isFull(full) || !slot.reclaim(full)) {
            r.r1 = 0;
            return;
        }
        r.r1 = 1;
        StealingBuffers.publish(slot, full + 1, B);
    }

    @Actor
    public void thief(II_Result r) {
        int k = StealingBuffers.steal(slot, loot);
        if (k == 0) {
            r.r2 = 0;
        } else if (StealingBuffers.matches(loot, k, A)) {
            r.r2 = 1;
        } else if (StealingBuffers.matches(loot, k, B)) {
            r.r2 = 2;
        } else {
            r.r2 = -1;
        }
    }
}
