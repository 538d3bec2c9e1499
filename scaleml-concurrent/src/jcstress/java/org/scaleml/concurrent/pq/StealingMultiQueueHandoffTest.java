package org.scaleml.concurrent.pq;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The stealing buffer hand-off through the {@link StealingMultiQueue} handles themselves: one handle inserts an
 * element (its insert publishes it in the handle's stealing buffer) while another handle, holding nothing, tries
 * to delete and so must take it from the first one's buffer or heap. Then the arbiter drains both handles. The
 * element is returned exactly once, with the payload it was inserted with.
 *
 * <p>Result: {@code r1} what the thief's delete returned: 0 nothing, 1 the element (priority and payload), -1 a
 * different element; {@code r2} how many times the arbiter's drain returned the element (-1 for a wrong one).
 */
@JCStressTest
@Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "the thief took the element")
@Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "the thief found the queue empty; the element stayed for the drain")
@Outcome(id = "1, 1", expect = FORBIDDEN, desc = "the element returned twice")
@Outcome(id = "0, 0", expect = FORBIDDEN, desc = "the element lost")
@Outcome(expect = FORBIDDEN, desc = "an element seen with a wrong priority or payload")
@State
public class StealingMultiQueueHandoffTest {

    private final StealingMultiQueue queue = new StealingMultiQueue(2, new StealingConfig(4, 1.0, 1), 42);
    private final ConcurrentPriorityQueue.Handle owner = queue.register();
    private final ConcurrentPriorityQueue.Handle thief = queue.register();

    @Actor
    public void insert() {
        owner.insert(7, 77);
    }

    @Actor
    public void steal(II_Result r) {
        r.r1 = thief.tryDeleteMin() ? verdict(thief) : 0;
    }

    @Arbiter
    public void drain(II_Result r) {
        int found = 0;
        for (ConcurrentPriorityQueue.Handle h : new ConcurrentPriorityQueue.Handle[] {owner, thief}) {
            while (h.tryDeleteMin()) {
                found = verdict(h) == 1 && found >= 0 ? found + 1 : -1;
            }
        }
        r.r2 = found;
    }

    private static int verdict(ConcurrentPriorityQueue.Handle h) {
        return h.priority() == 7 && h.payload() == 77 ? 1 : -1;
    }
}
