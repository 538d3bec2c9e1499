package org.scaleml.concurrent.stm;

/**
 * The view of an {@link Stm}'s cells that a transaction body gets: reads and buffered writes of {@code long} cells
 * addressed by index. Valid only inside the body it was passed to, on that body's thread; never keep it.
 *
 * <p>Every read returns a value of a consistent snapshot (opacity): the values a body sees, including those of an
 * attempt that is later aborted and re-executed, are all the state of the cells at one instant, plus the body's own
 * writes. A read or write may abort the attempt by throwing an internal {@link Error} that {@link Stm#atomic}
 * catches to re-execute the body: do not catch {@code Throwable} or {@code Error} in a body (if you must, rethrow
 * what you did not expect; a caught abort only makes every later call throw it again).
 */
public interface Transaction {
    /**
     * The value of {@code cell} in this transaction's snapshot, or the last value this transaction wrote to it.
     *
     * @throws IndexOutOfBoundsException if {@code cell} is not a cell of the STM
     */
    long read(int cell);

    /**
     * Sets {@code cell} to {@code value} when the transaction commits; later reads in this transaction see it.
     *
     * @throws IndexOutOfBoundsException if {@code cell} is not a cell of the STM
     */
    void write(int cell, long value);
}
