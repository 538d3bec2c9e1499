package org.scaleml.concurrent.pq;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJ_Result;

/**
 * {@link LockableHeap}'s published size and top after a removal from a heap of two elements {5, 9}, read
 * lock-free size first, then top.
 *
 * <p>As for insertion (see {@link LockableHeapInsertPublicationTest}), a reader that sees the size of the heap
 * after the removal also sees the top published with it: the new size 1 with the removed top 5 is forbidden. The
 * old size with the new top is allowed (the loads straddle the publication).
 *
 * <p>Result: {@code r1} the size read, {@code r2} the top read.
 */
@JCStressTest
@Outcome(id = "2, 5", expect = ACCEPTABLE, desc = "read before the removal was published")
@Outcome(id = "1, 9", expect = ACCEPTABLE, desc = "read after the removal was published")
@Outcome(id = "2, 9", expect = ACCEPTABLE_INTERESTING,
        desc = "size read before the publication, top after it: the new top with the old size")
@Outcome(id = "1, 5", expect = FORBIDDEN,
        desc = "the new size with the removed element's top: release/acquire broken")
@Outcome(expect = FORBIDDEN, desc = "a size or top that was never published")
@State
public class LockableHeapRemovalPublicationTest {

    private final LockableHeap heap = new LockableHeap(4, 4);

    public LockableHeapRemovalPublicationTest() {
        heap.lock();
        heap.insertLocked(9, 90);
        heap.insertLocked(5, 50);
        heap.unlock();
    }

    @Actor
    public void owner() {
        heap.lock();
        heap.removeMinLocked();
        heap.unlock();
    }

    @Actor
    public void reader(JJ_Result r) {
        r.r1 = heap.publishedSize();
        r.r2 = heap.topPriority();
    }
}
