package org.scaleml.concurrent.pq;

/**
 * Parameters of the stealing MultiQueue.
 *
 * @param arity  arity of each thread's heap, 2 to 65536
 * @param pSteal probability, per delete-min, of comparing the own top against another random heap's top and
 *               stealing from it if its top is better; in [0, 1]
 * @param batch  how many elements one steal moves from the victim to the thief, 1 to 2^24 (a queue also checks
 *               that its per-thread buffers, about 128 bytes per batch element, fit half of the maximum heap)
 */
public record StealingConfig(int arity, double pSteal, int batch) {

    /** Defaults that work well on 2 to 64 threads: 4-ary heaps, p_steal = 1/8, batches of 8. */
    public static final StealingConfig DEFAULT = new StealingConfig(4, 0.125, 8);

    public StealingConfig {
        Checks.arity("arity (d)", arity);
        Checks.probability("pSteal (psteal)", pSteal);
        Checks.between("batch", batch, 1, Checks.MAX_BUFFER);
    }
}
