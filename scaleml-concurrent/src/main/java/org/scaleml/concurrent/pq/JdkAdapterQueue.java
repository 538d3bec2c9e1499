package org.scaleml.concurrent.pq;

/**
 * The shared part of the exact baselines that adapt a JDK collection: the name, {@code isRelaxed() == false}, and
 * a handle that forwards {@code insert} to {@link #add} and {@code tryDeleteMin} to {@link #pollInto}. Subclasses
 * supply the collection and its size; thread safety and progress are those of that collection.
 */
abstract class JdkAdapterQueue implements ConcurrentPriorityQueue {
    private final String name;

    JdkAdapterQueue(String name) {
        this.name = name;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final boolean isRelaxed() {
        return false;
    }

    @Override
    public final Handle register() {
        return new AdapterHandle(this);
    }

    /** Adds one element to the collection. */
    abstract void add(long priority, long payload);

    /**
     * Removes a smallest element and stores it in {@code h}'s {@code priority} and {@code payload}.
     *
     * @return false, with {@code h} untouched, if the collection was empty
     */
    abstract boolean pollInto(AbstractHandle h);

    private static final class AdapterHandle extends AbstractHandle {
        private final JdkAdapterQueue queue;

        AdapterHandle(JdkAdapterQueue queue) {
            this.queue = queue;
        }

        @Override
        public void insert(long priority, long payload) {
            queue.add(priority, payload);
        }

        @Override
        public boolean tryDeleteMin() {
            return queue.pollInto(this);
        }
    }
}
