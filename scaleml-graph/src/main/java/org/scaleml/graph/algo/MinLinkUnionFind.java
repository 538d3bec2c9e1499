package org.scaleml.graph.algo;

import static org.scaleml.graph.algo.ParallelRuns.INTS;

/**
 * The lock-free union-find on a plain {@code int[]} of parents that the parallel graph algorithms share (spanning
 * forest, components): every root is the smallest id of its set, so the final parents give the labels that the
 * sequential {@link UnionFind} gives.
 *
 * <p>{@link #find} halves the path with {@code weakCompareAndSetRelease} (a failed halving is harmless: non-roots
 * only ever point higher up, to an ancestor); {@link #union} puts the larger root under the smaller with a volatile
 * CAS on the root's own slot, so two concurrent links of the same root cannot both succeed. Reads are acquiring, so
 * a thread that sees a link sees what its linker did before it. Any number of threads may call both at once; a
 * caller initialises {@code parent[v] = v}.
 */
final class MinLinkUnionFind {
    private MinLinkUnionFind() {
    }

    /** The root of x's tree, halving the path on the way. */
    static int find(int[] parent, int x) {
        for (;;) {
            int p = (int) INTS.getAcquire(parent, x);
            if (p == x) {
                return x;
            }
            int gp = (int) INTS.getAcquire(parent, p);
            if (gp != p) {
                INTS.weakCompareAndSetRelease(parent, x, p, gp);
            }
            x = gp;
        }
    }

    /** Links the trees of a and b (larger root under smaller); true if this call linked them. */
    static boolean union(int[] parent, int a, int b) {
        for (;;) {
            int ra = find(parent, a);
            int rb = find(parent, b);
            if (ra == rb) {
                return false;
            }
            int lo = Math.min(ra, rb);
            int hi = Math.max(ra, rb);
            if (INTS.compareAndSet(parent, hi, hi, lo)) {
                return true;
            }
            a = ra; // hi got linked meanwhile: retry from the roots we saw
            b = rb;
        }
    }
}
