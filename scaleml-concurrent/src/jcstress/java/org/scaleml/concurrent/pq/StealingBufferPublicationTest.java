package org.scaleml.concurrent.pq;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJJ_Result;

/**
 * The hand-off of a {@link StealingMultiQueueSlot} stealing buffer from the owner that fills and publishes it to a
 * thief that claims it.
 *
 * <p>The owner writes two elements into the buffer array with plain stores and publishes them with
 * {@link StealingMultiQueueSlot#publish} (opaque top and count, then a release store of the odd state); the thief
 * acquire-loads the state and, if it is full, reads the published top (as a thief does to compare) and claims the
 * buffer. Whenever the thief sees the full state it must see the top, the count and both elements, priority and
 * payload, exactly as written: the copy is checked field by field.
 *
 * <p>Result: {@code r1} elements claimed (0 if the buffer was not yet full), {@code r2} 1 if the copy is exactly
 * the published buffer (0 if nothing was claimed, -1 if it differs), {@code r3} the top read after the full state
 * (-1 if the state was empty).
 */
@JCStressTest
@Outcome(id = "0, 0, -1", expect = ACCEPTABLE, desc = "the thief looked before the publication: empty")
@Outcome(id = "2, 1, 10", expect = ACCEPTABLE, desc = "claimed both elements, seen fully, with the published top")
@Outcome(expect = FORBIDDEN, desc = "a full state with a stale top, count or element, or a failed claim")
@State
public class StealingBufferPublicationTest {

    private static final long[] PUBLISHED = {10, 100, 20, 200};

    private final StealingMultiQueueSlot slot = new StealingMultiQueueSlot(0, 4, 2, 4);
    private final long[] loot = new long[4];

    @Actor
    public void owner() {
        StealingBuffers.publish(slot, slot.stateAcquire(), PUBLISHED);
    }

    @Actor
    public void thief(JJJ_Result r) {
        long s = slot.stateAcquire();
        if (!StealingMultiQueueSlot.isFull(s)) {
            r.r1 = 0;
            r.r2 = 0;
            r.r3 = -1;
            return;
        }
        r.r3 = slot.topOpaque();
        int k = slot.claim(s, loot);
        r.r1 = k;
        r.r2 = k == 0 ? 0 : StealingBuffers.matches(loot, k, PUBLISHED) ? 1 : -1;
    }
}
