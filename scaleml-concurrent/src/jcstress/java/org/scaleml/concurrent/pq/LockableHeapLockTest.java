package org.scaleml.concurrent.pq;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJJJ_Result;

/**
 * {@link LockableHeap}'s spin lock: two threads insert under it at the same time (one with {@code lock()}, one
 * spinning on {@code tryLock()}, the two ways the MultiQueues take it). The lock's CAS acquire and release store
 * must order the two critical sections, so that neither insertion is lost and the heap and its published fields
 * agree afterwards.
 *
 * <p>Result, read by the arbiter under the lock: {@code r1} the heap's size, {@code r2} the published size,
 * {@code r3} the published top, {@code r4} the minimum's payload.
 */
@JCStressTest
@Outcome(id = "2, 2, 3, 30", expect = ACCEPTABLE, desc = "both insertions kept; heap and published fields agree")
@Outcome(expect = FORBIDDEN, desc = "an insertion lost, or published fields that disagree with the heap")
@State
public class LockableHeapLockTest {

    private final LockableHeap heap = new LockableHeap(4, 4);

    @Actor
    public void lockingInserter() {
        heap.lock();
        heap.insertLocked(7, 70);
        heap.unlock();
    }

    @Actor
    public void tryLockingInserter() {
        while (!heap.tryLock()) {
            Thread.onSpinWait();
        }
        heap.insertLocked(3, 30);
        heap.unlock();
    }

    @Arbiter
    public void check(JJJJ_Result r) {
        heap.lock();
        r.r1 = heap.sizeLocked();
        r.r2 = heap.publishedSize();
        r.r3 = heap.topPriority();
        r.r4 = heap.minPayloadLocked();
        heap.unlock();
    }
}
