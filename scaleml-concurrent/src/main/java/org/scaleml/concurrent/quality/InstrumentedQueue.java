package org.scaleml.concurrent.quality;

import org.scaleml.concurrent.pq.ConcurrentPriorityQueue;

/**
 * Wraps any {@link ConcurrentPriorityQueue} and records every insertion and successful deletion of every
 * handle into an {@link OperationLog}, for exact relaxation measurement by {@link RankReplay}.
 *
 * <p>The wrapper adds one contended ticket increment per operation, so measure throughput on the bare queue
 * and quality on the instrumented one, in separate runs. It has the delegate's thread-safety and the same
 * relaxation semantics up to the ticket ordering documented in {@link OperationLog}.
 */
public final class InstrumentedQueue extends ForwardingQueue {
    private final OperationLog log;

    public InstrumentedQueue(ConcurrentPriorityQueue delegate, OperationLog log) {
        super(delegate);
        if (log == null) {
            throw new IllegalArgumentException("log must not be null");
        }
        this.log = log;
    }

    @Override
    public Handle register() {
        OperationLog.Recorder recorder = log.recorder();
        return new ForwardingHandle(delegate.register()) {
            @Override
            void beforeInsert(long priority) {
                recorder.insert(priority);
            }

            @Override
            void afterDelete(long priority) {
                recorder.delete(priority);
            }
        };
    }
}
