package org.scaleml.concurrent.pq;

/**
 * Parameters of the stealing MultiQueue.
 *
 * @param arity  arity of each thread's heap
 * @param pSteal probability, per delete-min, of comparing the own top against another random heap's top and
 *               stealing from it if its top is better; in [0, 1]
 * @param batch  how many elements one steal moves from the victim to the thief (at least 1)
 */
public record StealingConfig(int arity, double pSteal, int batch) {

    /** Defaults that work well on 2 to 64 threads: 4-ary heaps, p_steal = 1/8, batches of 8. */
    public static final StealingConfig DEFAULT = new StealingConfig(4, 0.125, 8);

    public StealingConfig {
        Checks.atLeast("arity (d)", arity, 2);
        Checks.probability("pSteal (psteal)", pSteal);
        Checks.atLeast("batch", batch, 1);
    }
}
