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
 * {@link LockableHeap}'s published size and top after an insertion into the empty heap, read lock-free in the order
 * a MultiQueue reader relies on: size first, then top.
 *
 * <p>{@link LockableHeap#publish()} release-stores {@code top} and then {@code count}; the reader acquire-loads
 * {@code count} and then {@code top}. A reader that sees the new size therefore also sees the top stored before it
 * (or a later one): a non-empty size with the empty top {@link Long#MAX_VALUE} is forbidden. The opposite mix (the
 * new top with the old size) is allowed: the two loads straddle the publication, and it is the reason emptiness is
 * decided by the size alone.
 *
 * <p>Result: {@code r1} the size read, {@code r2} the top read.
 */
@JCStressTest
@Outcome(id = "0, 9223372036854775807", expect = ACCEPTABLE, desc = "read before the publication: empty")
@Outcome(id = "1, 5", expect = ACCEPTABLE, desc = "read after the publication: one element, top 5")
@Outcome(id = "0, 5", expect = ACCEPTABLE_INTERESTING,
        desc = "size read before the publication, top after it: the new top with the old size")
@Outcome(id = "1, 9223372036854775807", expect = FORBIDDEN,
        desc = "the new size without the top published before it: release/acquire broken")
@Outcome(expect = FORBIDDEN, desc = "a size or top that was never published")
@State
public class LockableHeapInsertPublicationTest {

    private final LockableHeap heap = new LockableHeap(4, 4);

    @Actor
    public void owner() {
        heap.lock();
        heap.insertLocked(5, 50);
        heap.unlock();
    }

    @Actor
    public void reader(JJ_Result r) {
        r.r1 = heap.publishedSize();
        r.r2 = heap.topPriority();
    }
}
