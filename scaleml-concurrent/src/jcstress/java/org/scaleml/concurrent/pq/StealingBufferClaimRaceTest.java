package org.scaleml.concurrent.pq;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Two thieves race for one full {@link StealingMultiQueueSlot} stealing buffer. Exactly one claims it (the
 * state's CAS from odd to even succeeds once), and the winner's copy is the whole published buffer: the elements
 * are never taken twice and never lost.
 *
 * <p>Result per thief: 0 nothing claimed, 1 the published buffer claimed and copied exactly, -1 a claim with a
 * wrong copy.
 */
@JCStressTest
@Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "the first thief took the buffer")
@Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "the second thief took the buffer")
@Outcome(id = "1, 1", expect = FORBIDDEN, desc = "both took it: elements duplicated")
@Outcome(id = "0, 0", expect = FORBIDDEN, desc = "neither took it although it stayed full: elements lost")
@Outcome(expect = FORBIDDEN, desc = "a claimed copy that is not the published buffer")
@State
public class StealingBufferClaimRaceTest {

    private static final long[] PUBLISHED = {10, 100, 20, 200, 30, 300};

    private final StealingMultiQueueSlot slot = new StealingMultiQueueSlot(0, 4, 3, 4);
    private final long[] loot1 = new long[6];
    private final long[] loot2 = new long[6];

    public StealingBufferClaimRaceTest() {
        StealingBuffers.publish(slot, slot.stateAcquire(), PUBLISHED);
    }

    @Actor
    public void thief1(II_Result r) {
        r.r1 = steal(loot1);
    }

    @Actor
    public void thief2(II_Result r) {
        r.r2 = steal(loot2);
    }

    private int steal(long[] loot) {
        int k = StealingBuffers.steal(slot, loot);
        return k == 0 ? 0 : StealingBuffers.matches(loot, k, PUBLISHED) ? 1 : -1;
    }
}
