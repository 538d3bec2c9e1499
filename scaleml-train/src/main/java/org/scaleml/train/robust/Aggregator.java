package org.scaleml.train.robust;

/**
 * A rule that combines the gradients of all workers into one, possibly robust to some of them being Byzantine
 * (sending arbitrary vectors). Create instances with {@link Aggregators#create}.
 *
 * <p><b>Determinism.</b> {@link #aggregate} is a deterministic function of its inputs and of this instance's state,
 * evaluated in a fixed order of floating-point operations, so every rank that computes it on the same inputs gets
 * bitwise the same output. Only {@code clip} has state; it changes with every call and is saved and restored with
 * {@link #state()} and {@link #restore}.
 *
 * <p><b>Thread safety.</b> Not thread-safe: instances keep scratch space (and possibly state). Null arguments
 * throw {@link NullPointerException}; slice bounds and array counts that do not fit throw
 * {@link IllegalArgumentException}.
 */
public interface Aggregator {
    /** Canonical specification, e.g. "trimmed-mean:trim=1". */
    String spec();

    /**
     * Combines grads[0..P) (P = world, rank order, each of length >= off+len) into out[off, off+len). A
     * deterministic function of the inputs and of this aggregator's own state (so every rank computing it on the
     * same inputs gets bitwise the same result). Must not modify grads. No per-coordinate allocation.
     *
     * <p>{@code out} may be one of {@code grads}: every input is read before the output is written, coordinate by
     * coordinate or (for Krum and centered clipping) all of them first. Costs per coordinate: {@code O(P)} for
     * mean, {@code O(P^2)} worst case for median and trimmed mean (insertion sort of {@code P} values), {@code O(P^2)}
     * for Krum (pairwise distances), {@code O(P * iters)} for centered clipping.
     *
     * @param grads the P workers' vectors, in rank order; {@code grads.length} must equal the world size
     * @param off   first coordinate, {@code >= 0}
     * @param len   number of coordinates, {@code >= 0}
     * @param out   receives the aggregate in {@code [off, off + len)}; other coordinates are untouched
     */
    void aggregate(float[][] grads, int off, int len, float[] out);

    /** State a checkpoint must keep (e.g. centered clipping's previous aggregate); length-0 array if stateless. */
    default float[][] state() {
        return new float[0][];
    }

    /** Restores what state() returned. */
    default void restore(float[][] state) {
    }
}
