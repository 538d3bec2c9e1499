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
public final class InstrumentedQueue implements ConcurrentPriorityQueue {
    private final ConcurrentPriorityQueue delegate;
    private final OperationLog log;

    public InstrumentedQueue(ConcurrentPriorityQueue delegate, OperationLog log) {
        if (delegate == null || log == null) {
            throw new IllegalArgumentException("delegate and log must not be null");
        }
        this.delegate = delegate;
        this.log = log;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public boolean isRelaxed() {
        return delegate.isRelaxed();
    }

    @Override
    public long size() {
        return delegate.size();
    }

    @Override
    public Handle register() {
        return new RecordingHandle(delegate.register(), log.recorder());
    }

    private static final class RecordingHandle implements Handle {
        private final Handle inner;
        private final OperationLog.Recorder recorder;

        RecordingHandle(Handle inner, OperationLog.Recorder recorder) {
            this.inner = inner;
            this.recorder = recorder;
        }

        @Override
        public void insert(long priority, long payload) {
            recorder.insert(priority);
            inner.insert(priority, payload);
        }

        @Override
        public boolean tryDeleteMin() {
            if (!inner.tryDeleteMin()) {
                return false;
            }
            recorder.delete(inner.priority());
            return true;
        }

        @Override
        public long priority() {
            return inner.priority();
        }

        @Override
        public long payload() {
            return inner.payload();
        }

        @Override
        public void flush() {
            inner.flush();
        }

        @Override
        public void close() {
            inner.close();
        }
    }
}
