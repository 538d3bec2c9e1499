package org.scaleml.concurrent.quality;

import org.scaleml.concurrent.pq.ConcurrentPriorityQueue;

/**
 * Base of the measuring wrappers: forwards everything to a delegate queue and wraps each handle in a
 * {@link ForwardingHandle} whose subclasses observe insertions and successful deletions.
 */
abstract class ForwardingQueue implements ConcurrentPriorityQueue {
    final ConcurrentPriorityQueue delegate;

    ForwardingQueue(ConcurrentPriorityQueue delegate) {
        if (delegate == null) {
            throw new IllegalArgumentException("delegate must not be null");
        }
        this.delegate = delegate;
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

    /** A handle that calls {@link #beforeInsert} and {@link #afterDelete} around the delegate's operations. */
    abstract static class ForwardingHandle implements Handle {
        final Handle inner;

        ForwardingHandle(Handle inner) {
            this.inner = inner;
        }

        /** Called before the element is inserted; may reject it by throwing. */
        abstract void beforeInsert(long priority);

        /** Called after a successful deletion returned an element of this priority. */
        abstract void afterDelete(long priority);

        @Override
        public final void insert(long priority, long payload) {
            beforeInsert(priority);
            inner.insert(priority, payload);
        }

        @Override
        public final boolean tryDeleteMin() {
            if (!inner.tryDeleteMin()) {
                return false;
            }
            afterDelete(inner.priority());
            return true;
        }

        @Override
        public final long priority() {
            return inner.priority();
        }

        @Override
        public final long payload() {
            return inner.payload();
        }

        @Override
        public final long steals() {
            return inner.steals();
        }

        @Override
        public final void flush() {
            inner.flush();
        }

        @Override
        public final void close() {
            inner.close();
        }
    }
}
