package org.scaleml.concurrent.pq;

import java.util.Objects;

/** The body that the handles of this package share for {@code Handle.insertAllThenDeleteMin}. */
final class Handles {
    private Handles() {
    }

    /**
     * The interface's default behaviour: inserts the {@code count} pairs of {@code pairs} one by one, then tries
     * one delete-min.
     *
     * <p>Handles whose queue has no cheaper combined operation override {@code insertAllThenDeleteMin} with a call
     * to this method, so that each final handle class has its own compiled copy: a default method is one method
     * for every implementing class, and where several queues run in one JVM its calls to {@code insert} and
     * {@code tryDeleteMin} see all of them (megamorphic, not inlined). This method is small and is inlined into
     * each override, where the receiver's exact class is known, so the calls bind statically.
     *
     * @throws IndexOutOfBoundsException if {@code pairs} holds fewer than {@code 2 * count} values
     */
    static boolean insertEachThenDeleteMin(ConcurrentPriorityQueue.Handle h, long[] pairs, int count) {
        Objects.checkFromIndexSize(0, 2 * count, pairs.length);
        for (int i = 0; i < count; i++) {
            h.insert(pairs[2 * i], pairs[2 * i + 1]);
        }
        return h.tryDeleteMin();
    }
}
