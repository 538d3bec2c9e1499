package org.scaleml.train.robust;

/**
 * What a simulated Byzantine worker sends instead of its honest gradient. Create instances with
 * {@link Attacks#create}.
 *
 * <p><b>Thread safety.</b> Implementations are stateless (the noise stream is derived from the step and slice on
 * every call) and may be used concurrently on different arrays.
 */
public interface Attack {
    /** Canonical specification, e.g. "signflip:scale=10". */
    String spec();

    /**
     * Replaces the honest gradient g[off, off+len) of this attacker in place by what it sends instead.
     *
     * @param g    the attacker's gradient; coordinates outside the slice are untouched
     * @param off  first coordinate, {@code >= 0}
     * @param len  number of coordinates, {@code >= 0}, with {@code off + len <= g.length}
     * @param step the training step (part of the noise seed, so each step gets fresh, reproducible noise)
     * @throws IllegalArgumentException if the slice does not fit {@code g}
     */
    void apply(float[] g, int off, int len, long step);
}
