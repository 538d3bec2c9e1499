package org.scaleml.concurrent.counter;

/**
 * A counter that many threads increment, whose reads may be approximate. Create one with
 * {@link ApproximateCounters#create}.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Thread safety.</b> Every method may be called from any number of threads at once; {@link #increment}
 *       is wait-free for the JDK adapters on hardware with an atomic fetch-and-add, and for the MultiCounter
 *       (one fetch-and-add on a counter chosen beforehand).</li>
 *   <li><b>Reads.</b> {@link #read} returns an estimate of the number of increments; how far it may be from the
 *       truth is each implementation's relaxation bound, stated in its documentation ({@code atomic}: exact and
 *       linearizable; {@code adder}: the sum of the cells, exact in quiescence, not linearizable under concurrent
 *       increments; {@code multi}: off by O(m log m) with high probability).</li>
 *   <li><b>Exact sums.</b> {@link #sum} adds every counter: exact once no increment runs concurrently (for tests
 *       and reports); with concurrent increments it counts every increment that completed before the call and
 *       possibly some that ran during it.</li>
 *   <li><b>Memory effects.</b> None are promised beyond the count itself: do not use a counter to publish data.</li>
 * </ul>
 */
public interface ApproximateCounter {
    /** Adds one. */
    void increment();

    /** An estimate of the number of increments so far (see the implementation's bound). */
    long read();

    /** The exact number of increments, when none runs concurrently (see the class documentation). */
    long sum();

    /** The canonical specification of this counter, e.g. {@code multi:m=8}; {@link ApproximateCounters#create} accepts it. */
    String spec();
}
